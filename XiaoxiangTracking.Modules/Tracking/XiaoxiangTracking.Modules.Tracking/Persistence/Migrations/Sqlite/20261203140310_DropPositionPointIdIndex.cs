using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Positions lose the (rider, point id) index: a fix is identified by rider and fix time, which its own unique index
    /// already enforces, and every report wrote both.
    /// </summary>
    internal partial class DropPositionPointIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tracking_rider_positions_rider_id_client_point_id",
                table: "tracking_rider_positions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_positions_rider_id_client_point_id",
                table: "tracking_rider_positions",
                columns: new[] { "rider_id", "client_point_id" },
                unique: true);
        }
    }
}
