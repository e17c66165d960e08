using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Notifications.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notifications_webhook_subscriptions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    secret = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    event_types = table.Column<string>(type: "TEXT", unicode: false, maxLength: 500, nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications_webhook_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifications_webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    subscription_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    event_type = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    event_key = table.Column<string>(type: "TEXT", unicode: false, maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    leased_until = table.Column<long>(type: "INTEGER", nullable: true),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_notifications_webhook_deliveries_notifications_webhook_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "notifications_webhook_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notifications_webhook_attempts",
                columns: table => new
                {
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    delivery_id = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    duration_milliseconds = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications_webhook_attempts", x => new { x.delivery_id, x.number });
                    table.ForeignKey(
                        name: "FK_notifications_webhook_attempts_notifications_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "notifications_webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_webhook_deliveries_status_next_attempt_at",
                table: "notifications_webhook_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_webhook_deliveries_subscription_id_created_at",
                table: "notifications_webhook_deliveries",
                columns: new[] { "subscription_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_webhook_deliveries_subscription_id_event_key",
                table: "notifications_webhook_deliveries",
                columns: new[] { "subscription_id", "event_key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notifications_webhook_attempts");

            migrationBuilder.DropTable(
                name: "notifications_webhook_deliveries");

            migrationBuilder.DropTable(
                name: "notifications_webhook_subscriptions");
        }
    }
}
