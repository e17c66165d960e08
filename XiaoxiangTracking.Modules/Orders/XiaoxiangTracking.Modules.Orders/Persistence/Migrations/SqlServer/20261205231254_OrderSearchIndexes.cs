using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Orders.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class OrderSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_orders_rider_id_created_at",
                schema: "orders",
                table: "orders",
                columns: new[] { "rider_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_warehouse_id_created_at",
                schema: "orders",
                table: "orders",
                columns: new[] { "warehouse_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_rider_id_created_at",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_orders_warehouse_id_created_at",
                schema: "orders",
                table: "orders");
        }
    }
}
