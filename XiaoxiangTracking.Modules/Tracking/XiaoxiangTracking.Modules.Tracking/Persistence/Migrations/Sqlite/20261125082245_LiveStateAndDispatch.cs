using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class LiveStateAndDispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracking_live_orders",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    order_version = table.Column<long>(type: "INTEGER", nullable: false),
                    warehouse_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    promised_delivery_at = table.Column<long>(type: "INTEGER", nullable: false),
                    rider_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    assignment = table.Column<int>(type: "INTEGER", nullable: false),
                    awaiting_rider = table.Column<bool>(type: "INTEGER", nullable: false),
                    dispatch_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_dispatch_at = table.Column<long>(type: "INTEGER", nullable: true),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    fix_time = table.Column<long>(type: "INTEGER", nullable: true),
                    speed = table.Column<double>(type: "REAL", nullable: true),
                    heading = table.Column<double>(type: "REAL", nullable: true),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    delivery_latitude = table.Column<double>(type: "REAL", nullable: false),
                    delivery_longitude = table.Column<double>(type: "REAL", nullable: false),
                    warehouse_latitude = table.Column<double>(type: "REAL", nullable: false),
                    warehouse_longitude = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_live_orders", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "tracking_rider_latest",
                columns: table => new
                {
                    rider_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    fix_time = table.Column<long>(type: "INTEGER", nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    accuracy = table.Column<double>(type: "REAL", nullable: true),
                    speed = table.Column<double>(type: "REAL", nullable: true),
                    heading = table.Column<double>(type: "REAL", nullable: true),
                    geohash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_rider_latest", x => x.rider_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_live_orders_awaiting_rider_next_dispatch_at",
                table: "tracking_live_orders",
                columns: new[] { "awaiting_rider", "next_dispatch_at" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_live_orders_is_active",
                table: "tracking_live_orders",
                column: "is_active");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_live_orders_rider_id_is_active",
                table: "tracking_live_orders",
                columns: new[] { "rider_id", "is_active" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_latest_geohash_fix_time",
                table: "tracking_rider_latest",
                columns: new[] { "geohash", "fix_time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_live_orders");

            migrationBuilder.DropTable(
                name: "tracking_rider_latest");
        }
    }
}
