using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "assigned_at",
                schema: "tracking",
                table: "live_orders",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_alerts",
                schema: "tracking",
                table: "live_orders",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "alerts",
                schema: "tracking",
                columns: table => new
                {
                    id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    order_id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    type = table.Column<byte>(type: "tinyint", nullable: false),
                    status = table.Column<byte>(type: "tinyint", nullable: false),
                    rider_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    detail = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    retroactive = table.Column<bool>(type: "bit", nullable: false),
                    latitude = table.Column<double>(type: "float", nullable: true),
                    longitude = table.Column<double>(type: "float", nullable: true),
                    raised_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    acknowledged_by = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    resolved_by = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alerts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alerts_order_id_type",
                schema: "tracking",
                table: "alerts",
                columns: new[] { "order_id", "type" },
                unique: true,
                filter: "status <> 3");

            migrationBuilder.CreateIndex(
                name: "IX_alerts_status_raised_at",
                schema: "tracking",
                table: "alerts",
                columns: new[] { "status", "raised_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts",
                schema: "tracking");

            migrationBuilder.DropColumn(
                name: "assigned_at",
                schema: "tracking",
                table: "live_orders");

            migrationBuilder.DropColumn(
                name: "open_alerts",
                schema: "tracking",
                table: "live_orders");
        }
    }
}
