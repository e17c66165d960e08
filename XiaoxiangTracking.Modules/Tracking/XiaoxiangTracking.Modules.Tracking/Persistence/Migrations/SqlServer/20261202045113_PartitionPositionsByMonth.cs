using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <summary>Rider positions partitioned by month of their fix (see <see cref="SqlServerPartitioning"/>); the model is unchanged.</summary>
    internal partial class PartitionPositionsByMonth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlServerPartitioning.CreateFunction());
            migrationBuilder.Sql(SqlServerPartitioning.CreateScheme());
            migrationBuilder.Sql(SqlServerPartitioning.PartitionPositions());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlServerPartitioning.UnpartitionPositions());
            migrationBuilder.Sql(SqlServerPartitioning.DropScheme());
            migrationBuilder.Sql(SqlServerPartitioning.DropFunction());
        }
    }
}
