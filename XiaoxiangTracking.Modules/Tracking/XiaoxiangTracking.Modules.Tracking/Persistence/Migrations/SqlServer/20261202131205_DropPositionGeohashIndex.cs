using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <summary>Positions lose the (geohash, fix time) index: no query reads it, and every report wrote it.</summary>
    internal partial class DropPositionGeohashIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_rider_positions_geohash_fix_time",
                schema: "tracking",
                table: "rider_positions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Aligned with the partition scheme, as the partitioning migration made it.
            migrationBuilder.Sql(SqlServerPartitioning.CreateGeohashIndex());
        }
    }
}
