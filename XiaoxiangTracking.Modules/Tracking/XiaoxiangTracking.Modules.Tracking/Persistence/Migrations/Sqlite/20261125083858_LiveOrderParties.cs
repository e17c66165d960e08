using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class LiveOrderParties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tracking_live_orders_is_active",
                table: "tracking_live_orders");

            migrationBuilder.AddColumn<string>(
                name: "customer_id",
                table: "tracking_live_orders",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "delivery_address",
                table: "tracking_live_orders",
                type: "TEXT",
                maxLength: 255,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_live_orders_is_active_warehouse_id",
                table: "tracking_live_orders",
                columns: new[] { "is_active", "warehouse_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tracking_live_orders_is_active_warehouse_id",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "customer_id",
                table: "tracking_live_orders");

            migrationBuilder.DropColumn(
                name: "delivery_address",
                table: "tracking_live_orders");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_live_orders_is_active",
                table: "tracking_live_orders",
                column: "is_active");
        }
    }
}
