using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class TrackingQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "eta_confidence",
                table: "tracking_live_orders",
                type: "TEXT",
                unicode: false,
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rejected_fixes",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "eta_confidence",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "rejected_fixes",
                table: "tracking_live_orders");
        }
    }
}
