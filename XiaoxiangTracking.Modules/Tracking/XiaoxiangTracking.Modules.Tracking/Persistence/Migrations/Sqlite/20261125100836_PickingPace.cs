using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class PickingPace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "handed_over_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "item_count",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "paid_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "handed_over_at",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "item_count",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "paid_at",
                table: "tracking_live_orders");
        }
    }
}
