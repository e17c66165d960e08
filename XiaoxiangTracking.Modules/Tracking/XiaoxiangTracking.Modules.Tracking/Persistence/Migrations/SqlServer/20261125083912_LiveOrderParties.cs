using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class LiveOrderParties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_live_orders_is_active",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.AddColumn<string>(
                name: "customer_id",
                schema: "tracking",
                table: "live_orders",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "delivery_address",
                schema: "tracking",
                table: "live_orders",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_live_orders_is_active_warehouse_id",
                schema: "tracking",
                table: "live_orders",
                columns: new[] { "is_active", "warehouse_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_live_orders_is_active_warehouse_id",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "customer_id",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "delivery_address",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.CreateIndex(
                name: "IX_live_orders_is_active",
                schema: "tracking",
                table: "live_orders",
                column: "is_active");
        }
    }
}
