using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class Arrivals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "arrived_at_customer_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "arrived_at_warehouse_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "arrived_at_customer_at",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "arrived_at_warehouse_at",
                schema: "tracking",
                table: "live_orders");
        }
    }
}
