using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <summary>Positions lose the (geohash, fix time) index: no query reads it, and every report wrote it.</summary>
    internal partial class DropPositionGeohashIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tracking_rider_positions_geohash_fix_time",
                table: "tracking_rider_positions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tracking_rider_positions_geohash_fix_time",
                table: "tracking_rider_positions",
                columns: new[] { "geohash", "fix_time" });
        }
    }
}
