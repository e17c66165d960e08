using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class Eta : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "eta_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "eta_earliest",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "eta_latest",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "eta_learned",
                schema: "tracking",
                table: "live_orders",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "delivery_speeds",
                schema: "tracking",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    area = table.Column<string>(type: "varchar(12)", unicode: false, maxLength: 12, nullable: false),
                    hour = table.Column<int>(type: "int", nullable: false),
                    meters = table.Column<double>(type: "float", nullable: false),
                    seconds = table.Column<double>(type: "float", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_speeds", x => x.order_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_delivery_speeds_area_hour_completed_at",
                schema: "tracking",
                table: "delivery_speeds",
                columns: new[] { "area", "hour", "completed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_delivery_speeds_hour_completed_at",
                schema: "tracking",
                table: "delivery_speeds",
                columns: new[] { "hour", "completed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_speeds",
                schema: "tracking");

            migrationBuilder.DropColumn(
                name: "eta_at",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "eta_earliest",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "eta_latest",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "eta_learned",
                schema: "tracking",
                table: "live_orders");
        }
    }
}
