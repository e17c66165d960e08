using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Orders.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "orders_idempotency_keys",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    request_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    location = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    response_body = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders_idempotency_keys", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "orders_orders",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    total_amount = table.Column<long>(type: "INTEGER", precision: 10, scale: 2, nullable: false),
                    warehouse_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    promised_delivery_at = table.Column<long>(type: "INTEGER", nullable: false),
                    rider_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    payment_reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    cancellation_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    paid_at = table.Column<long>(type: "INTEGER", nullable: true),
                    picked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    cancelled_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    recipient_name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    recipient_phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    delivery_address = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    delivery_latitude = table.Column<double>(type: "REAL", nullable: false),
                    delivery_longitude = table.Column<double>(type: "REAL", nullable: false),
                    warehouse_latitude = table.Column<double>(type: "REAL", nullable: false),
                    warehouse_longitude = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "orders_outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    processed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "orders_order_lines",
                columns: table => new
                {
                    line_number = table.Column<int>(type: "INTEGER", nullable: false),
                    order_id = table.Column<string>(type: "TEXT", nullable: false),
                    sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    unit_price = table.Column<long>(type: "INTEGER", precision: 10, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders_order_lines", x => new { x.order_id, x.line_number });
                    table.ForeignKey(
                        name: "FK_orders_order_lines_orders_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "orders_picking_tasks",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    warehouse_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders_picking_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_orders_picking_tasks_orders_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_orders_idempotency_keys_created_at",
                table: "orders_idempotency_keys",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_orders_orders_customer_id_created_at",
                table: "orders_orders",
                columns: new[] { "customer_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_orders_status_created_at",
                table: "orders_orders",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_outbox_messages_processed_at_id",
                table: "orders_outbox_messages",
                columns: new[] { "processed_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_picking_tasks_order_id",
                table: "orders_picking_tasks",
                column: "order_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_orders_picking_tasks_warehouse_id_status_created_at",
                table: "orders_picking_tasks",
                columns: new[] { "warehouse_id", "status", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "orders_idempotency_keys");

            migrationBuilder.DropTable(
                name: "orders_order_lines");

            migrationBuilder.DropTable(
                name: "orders_outbox_messages");

            migrationBuilder.DropTable(
                name: "orders_picking_tasks");

            migrationBuilder.DropTable(
                name: "orders_orders");
        }
    }
}
