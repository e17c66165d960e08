using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracking_order_tracking",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    status = table.Column<byte>(type: "INTEGER", nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    address = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    operator_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    operator_type = table.Column<byte>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_order_tracking", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tracking_rider_positions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    rider_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    client_point_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    fix_time = table.Column<long>(type: "INTEGER", nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    accuracy_meters = table.Column<double>(type: "REAL", nullable: true),
                    speed_meters_per_second = table.Column<double>(type: "REAL", nullable: true),
                    heading_degrees = table.Column<double>(type: "REAL", nullable: true),
                    geohash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_rider_positions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_order_tracking_order_id_created_at",
                table: "tracking_order_tracking",
                columns: new[] { "order_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_positions_geohash_fix_time",
                table: "tracking_rider_positions",
                columns: new[] { "geohash", "fix_time" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_positions_rider_id_client_point_id",
                table: "tracking_rider_positions",
                columns: new[] { "rider_id", "client_point_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_positions_rider_id_fix_time",
                table: "tracking_rider_positions",
                columns: new[] { "rider_id", "fix_time" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_order_tracking");

            migrationBuilder.DropTable(
                name: "tracking_rider_positions");
        }
    }
}
