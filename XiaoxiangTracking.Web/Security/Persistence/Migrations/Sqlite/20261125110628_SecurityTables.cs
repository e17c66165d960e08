using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Web.Security.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class SecurityTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "security_data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "security_ip_deny_list",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    cidr = table.Column<string>(type: "TEXT", unicode: false, maxLength: 50, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_by = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_ip_deny_list", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_security_ip_deny_list_cidr",
                table: "security_ip_deny_list",
                column: "cidr",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "security_data_protection_keys");

            migrationBuilder.DropTable(
                name: "security_ip_deny_list");
        }
    }
}
