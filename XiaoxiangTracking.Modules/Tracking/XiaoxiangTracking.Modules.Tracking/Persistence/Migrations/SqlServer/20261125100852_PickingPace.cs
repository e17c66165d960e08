using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class PickingPace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "handed_over_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "item_count",
                schema: "tracking",
                table: "live_orders",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "paid_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "handed_over_at",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "item_count",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "paid_at",
                schema: "tracking",
                table: "live_orders");
        }
    }
}
