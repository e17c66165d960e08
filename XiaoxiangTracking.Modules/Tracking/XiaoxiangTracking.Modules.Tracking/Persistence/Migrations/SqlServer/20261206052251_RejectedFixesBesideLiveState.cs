using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class RejectedFixesBesideLiveState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rejected_fixes",
                schema: "tracking",
                columns: table => new
                {
                    order_id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    count = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rejected_fixes", x => x.order_id);
                });

            // The counts move with their orders, then leave the live state (which no longer holds what no viewer sees).
            migrationBuilder.Sql("INSERT INTO [tracking].[rejected_fixes] (order_id, count) SELECT order_id, rejected_fixes FROM [tracking].[live_orders] WHERE rejected_fixes > 0;");

            migrationBuilder.DropColumn(
                name: "rejected_fixes",
                schema: "tracking",
                table: "live_orders");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "rejected_fixes",
                schema: "tracking",
                table: "live_orders",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("UPDATE [tracking].[live_orders] SET rejected_fixes = (SELECT r.count FROM [tracking].[rejected_fixes] r WHERE r.order_id = [tracking].[live_orders].order_id) WHERE order_id IN (SELECT order_id FROM [tracking].[rejected_fixes]);");

            migrationBuilder.DropTable(
                name: "rejected_fixes",
                schema: "tracking");
        }
    }
}
