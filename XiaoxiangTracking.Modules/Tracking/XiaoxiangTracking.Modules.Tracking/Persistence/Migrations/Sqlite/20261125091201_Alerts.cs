using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "assigned_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_alerts",
                table: "tracking_live_orders",
                type: "TEXT",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "tracking_alerts",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    type = table.Column<byte>(type: "INTEGER", nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    rider_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    retroactive = table.Column<bool>(type: "INTEGER", nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    acknowledged_at = table.Column<long>(type: "INTEGER", nullable: true),
                    acknowledged_by = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_by = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_alerts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_alerts_order_id_type",
                table: "tracking_alerts",
                columns: new[] { "order_id", "type" },
                unique: true,
                filter: "status <> 3");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_alerts_status_raised_at",
                table: "tracking_alerts",
                columns: new[] { "status", "raised_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_alerts");

            migrationBuilder.DropColumn(
                name: "assigned_at",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "open_alerts",
                table: "tracking_live_orders");
        }
    }
}
