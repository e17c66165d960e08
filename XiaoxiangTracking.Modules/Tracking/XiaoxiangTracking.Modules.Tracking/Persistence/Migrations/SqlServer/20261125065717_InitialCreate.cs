using System;
using Microsoft.EntityFrameworkCore.Migrations;
using XiaoxiangTracking.Modules.Tracking.Persistence;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "tracking");

            migrationBuilder.CreateTable(
                name: "order_tracking",
                schema: "tracking",
                columns: table => new
                {
                    id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    order_id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "tinyint", nullable: false),
                    latitude = table.Column<double>(type: "float", nullable: true),
                    longitude = table.Column<double>(type: "float", nullable: true),
                    address = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: true),
                    operator_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    operator_type = table.Column<byte>(type: "tinyint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_tracking", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rider_positions",
                schema: "tracking",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    rider_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    client_point_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    fix_time = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    latitude = table.Column<double>(type: "float", nullable: false),
                    longitude = table.Column<double>(type: "float", nullable: false),
                    accuracy_meters = table.Column<double>(type: "float", nullable: true),
                    speed_meters_per_second = table.Column<double>(type: "float", nullable: true),
                    heading_degrees = table.Column<double>(type: "float", nullable: true),
                    geohash = table.Column<string>(type: "varchar(12)", unicode: false, maxLength: 12, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rider_positions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_order_tracking_order_id_created_at",
                schema: "tracking",
                table: "order_tracking",
                columns: new[] { "order_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_rider_positions_geohash_fix_time",
                schema: "tracking",
                table: "rider_positions",
                columns: new[] { "geohash", "fix_time" });

            migrationBuilder.CreateIndex(
                name: "IX_rider_positions_rider_id_client_point_id",
                schema: "tracking",
                table: "rider_positions",
                columns: new[] { "rider_id", "client_point_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rider_positions_rider_id_fix_time",
                schema: "tracking",
                table: "rider_positions",
                columns: new[] { "rider_id", "fix_time" },
                unique: true);

            // Spatial storage on SQL Server: persisted geography point + spatial index (see SqlServerSpatial).
            migrationBuilder.Sql(SqlServerSpatial.AddLocationColumn(SqlServerSpatial.Positions));
            migrationBuilder.Sql(SqlServerSpatial.CreateLocationIndex(SqlServerSpatial.Positions));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlServerSpatial.DropLocationIndex(SqlServerSpatial.Positions));
            migrationBuilder.Sql(SqlServerSpatial.DropLocationColumn(SqlServerSpatial.Positions));

            migrationBuilder.DropTable(
                name: "order_tracking",
                schema: "tracking");

            migrationBuilder.DropTable(
                name: "rider_positions",
                schema: "tracking");
        }
    }
}
