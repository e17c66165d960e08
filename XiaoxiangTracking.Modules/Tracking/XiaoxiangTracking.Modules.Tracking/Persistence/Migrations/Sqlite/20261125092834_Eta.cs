using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Eta : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "eta_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "eta_earliest",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "eta_latest",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "eta_learned",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "tracking_delivery_speeds",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    area = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    hour = table.Column<int>(type: "INTEGER", nullable: false),
                    meters = table.Column<double>(type: "REAL", nullable: false),
                    seconds = table.Column<double>(type: "REAL", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_delivery_speeds", x => x.order_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_delivery_speeds_area_hour_completed_at",
                table: "tracking_delivery_speeds",
                columns: new[] { "area", "hour", "completed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_delivery_speeds_hour_completed_at",
                table: "tracking_delivery_speeds",
                columns: new[] { "hour", "completed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_delivery_speeds");

            migrationBuilder.DropColumn(
                name: "eta_at",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "eta_earliest",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "eta_latest",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "eta_learned",
                table: "tracking_live_orders");
        }
    }
}
