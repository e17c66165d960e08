using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class OrderTimeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "event_type",
                table: "tracking_order_tracking",
                type: "TEXT",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "order_version",
                table: "tracking_order_tracking",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_tracking_order_tracking_order_id_order_version",
                table: "tracking_order_tracking",
                columns: new[] { "order_id", "order_version" },
                unique: true,
                filter: "order_version IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tracking_order_tracking_order_id_order_version",
                table: "tracking_order_tracking");

            migrationBuilder.DropColumn(
                name: "event_type",
                table: "tracking_order_tracking");

            migrationBuilder.DropColumn(
                name: "order_version",
                table: "tracking_order_tracking");
        }
    }
}
