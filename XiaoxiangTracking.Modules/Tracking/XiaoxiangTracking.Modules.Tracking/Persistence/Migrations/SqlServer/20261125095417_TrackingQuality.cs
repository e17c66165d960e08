using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class TrackingQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "eta_confidence",
                schema: "tracking",
                table: "live_orders",
                type: "varchar(10)",
                unicode: false,
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rejected_fixes",
                schema: "tracking",
                table: "live_orders",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "eta_confidence",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "rejected_fixes",
                schema: "tracking",
                table: "live_orders");
        }
    }
}
