using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
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
                name: "IX_rider_positions_rider_id_client_point_id",
                schema: "tracking",
                table: "rider_positions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Aligned with the partition scheme, as the partitioning migration made it.
            migrationBuilder.Sql(SqlServerPartitioning.CreatePointIdIndex());
        }
    }
}
