using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class WarehouseStages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracking_outbox_messages",
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
                    table.PrimaryKey("PK_tracking_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_order_tracking_order_id_event_type",
                table: "tracking_order_tracking",
                columns: new[] { "order_id", "event_type" },
                unique: true,
                filter: "operator_type = 2 AND order_version IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_outbox_messages_processed_at_id",
                table: "tracking_outbox_messages",
                columns: new[] { "processed_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_outbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_tracking_order_tracking_order_id_event_type",
                table: "tracking_order_tracking");
        }
    }
}
