using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Arrivals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "arrived_at_customer_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "arrived_at_warehouse_at",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "arrived_at_customer_at",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "arrived_at_warehouse_at",
                table: "tracking_live_orders");
        }
    }
}
