using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Orders.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class RiderAssignment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "rider_assignment",
                schema: "orders",
                table: "orders",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "rider_assignment",
                schema: "orders",
                table: "orders");
        }
    }
}
