using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Orders.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class OrderSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_orders_orders_rider_id_created_at",
                table: "orders_orders",
                columns: new[] { "rider_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_orders_warehouse_id_created_at",
                table: "orders_orders",
                columns: new[] { "warehouse_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_orders_rider_id_created_at",
                table: "orders_orders");

            migrationBuilder.DropIndex(
                name: "IX_orders_orders_warehouse_id_created_at",
                table: "orders_orders");
        }
    }
}
