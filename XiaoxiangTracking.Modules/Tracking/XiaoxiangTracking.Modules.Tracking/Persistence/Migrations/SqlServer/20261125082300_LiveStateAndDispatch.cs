using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class LiveStateAndDispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "live_orders",
                schema: "tracking",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "tinyint", nullable: false),
                    order_version = table.Column<long>(type: "bigint", nullable: false),
                    warehouse_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    promised_delivery_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    rider_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    assignment = table.Column<int>(type: "int", nullable: false),
                    awaiting_rider = table.Column<bool>(type: "bit", nullable: false),
                    dispatch_attempts = table.Column<int>(type: "int", nullable: false),
                    next_dispatch_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    latitude = table.Column<double>(type: "float", nullable: true),
                    longitude = table.Column<double>(type: "float", nullable: true),
                    fix_time = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    speed = table.Column<double>(type: "float", nullable: true),
                    heading = table.Column<double>(type: "float", nullable: true),
                    is_active = table.Column<bool>(type: "bit", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    delivery_latitude = table.Column<double>(type: "float", nullable: false),
                    delivery_longitude = table.Column<double>(type: "float", nullable: false),
                    warehouse_latitude = table.Column<double>(type: "float", nullable: false),
                    warehouse_longitude = table.Column<double>(type: "float", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_live_orders", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "rider_latest",
                schema: "tracking",
                columns: table => new
                {
                    rider_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    fix_time = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    latitude = table.Column<double>(type: "float", nullable: false),
                    longitude = table.Column<double>(type: "float", nullable: false),
                    accuracy = table.Column<double>(type: "float", nullable: true),
                    speed = table.Column<double>(type: "float", nullable: true),
                    heading = table.Column<double>(type: "float", nullable: true),
                    geohash = table.Column<string>(type: "varchar(12)", unicode: false, maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rider_latest", x => x.rider_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_live_orders_awaiting_rider_next_dispatch_at",
                schema: "tracking",
                table: "live_orders",
                columns: new[] { "awaiting_rider", "next_dispatch_at" });

            migrationBuilder.CreateIndex(
                name: "IX_live_orders_is_active",
                schema: "tracking",
                table: "live_orders",
                column: "is_active");

            migrationBuilder.CreateIndex(
                name: "IX_live_orders_rider_id_is_active",
                schema: "tracking",
                table: "live_orders",
                columns: new[] { "rider_id", "is_active" });

            migrationBuilder.CreateIndex(
                name: "IX_rider_latest_geohash_fix_time",
                schema: "tracking",
                table: "rider_latest",
                columns: new[] { "geohash", "fix_time" });

            // Dispatch's "who is near the warehouse" on SQL Server: persisted geography point + spatial index (see SqlServerSpatial).
            migrationBuilder.Sql(SqlServerSpatial.AddLocationColumn(SqlServerSpatial.LatestFixes));
            migrationBuilder.Sql(SqlServerSpatial.CreateLocationIndex(SqlServerSpatial.LatestFixes));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlServerSpatial.DropLocationIndex(SqlServerSpatial.LatestFixes));
            migrationBuilder.Sql(SqlServerSpatial.DropLocationColumn(SqlServerSpatial.LatestFixes));

            migrationBuilder.DropTable(
                name: "live_orders",
                schema: "tracking");

            migrationBuilder.DropTable(
                name: "rider_latest",
                schema: "tracking");
        }
    }
}
