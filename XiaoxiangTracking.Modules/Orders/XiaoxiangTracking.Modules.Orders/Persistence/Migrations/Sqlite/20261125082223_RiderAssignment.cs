using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Orders.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class RiderAssignment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "rider_assignment",
                table: "orders_orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "rider_assignment",
                table: "orders_orders");
        }
    }
}
