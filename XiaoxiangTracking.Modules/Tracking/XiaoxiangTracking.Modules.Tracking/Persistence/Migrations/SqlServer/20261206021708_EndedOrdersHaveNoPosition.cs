using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Modules.Tracking.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class EndedOrdersHaveNoPosition : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A finished order has no rider position and no arrival estimate (they are cleared when it ends).
            migrationBuilder.Sql("UPDATE [tracking].[live_orders] SET [latitude] = NULL, [longitude] = NULL, [fix_time] = NULL, [speed] = NULL, [heading] = NULL, [eta_at] = NULL, [eta_earliest] = NULL, [eta_latest] = NULL, [eta_confidence] = NULL, [eta_learned] = 0 WHERE [is_active] = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // What was cleared is not kept anywhere to bring back.
        }
    }
}
