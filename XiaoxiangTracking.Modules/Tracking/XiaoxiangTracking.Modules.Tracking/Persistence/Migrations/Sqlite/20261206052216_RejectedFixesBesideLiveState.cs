using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class RejectedFixesBesideLiveState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracking_rejected_fixes",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_rejected_fixes", x => x.order_id);
                });

            // The counts move with their orders, then leave the live state (which no longer holds what no viewer sees).
            migrationBuilder.Sql("INSERT INTO tracking_rejected_fixes (order_id, count) SELECT order_id, rejected_fixes FROM tracking_live_orders WHERE rejected_fixes > 0;");

            migrationBuilder.DropColumn(
                name: "rejected_fixes",
                table: "tracking_live_orders");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "rejected_fixes",
                table: "tracking_live_orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("UPDATE tracking_live_orders SET rejected_fixes = (SELECT r.count FROM tracking_rejected_fixes r WHERE r.order_id = tracking_live_orders.order_id) WHERE order_id IN (SELECT order_id FROM tracking_rejected_fixes);");

            migrationBuilder.DropTable(
                name: "tracking_rejected_fixes");
        }
    }
}
