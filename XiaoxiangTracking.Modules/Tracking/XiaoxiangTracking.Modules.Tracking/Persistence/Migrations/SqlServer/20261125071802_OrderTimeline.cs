using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class OrderTimeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "event_type",
                schema: "tracking",
                table: "order_tracking",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "order_version",
                schema: "tracking",
                table: "order_tracking",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_order_tracking_order_id_order_version",
                schema: "tracking",
                table: "order_tracking",
                columns: new[] { "order_id", "order_version" },
                unique: true,
                filter: "order_version IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_order_tracking_order_id_order_version",
                schema: "tracking",
                table: "order_tracking");

            migrationBuilder.DropColumn(
                name: "event_type",
                schema: "tracking",
                table: "order_tracking");

            migrationBuilder.DropColumn(
                name: "order_version",
                schema: "tracking",
                table: "order_tracking");
        }
    }
}
