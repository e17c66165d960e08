using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace XiaoxiangTracking.Web.Security.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class SecurityTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "security");

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                schema: "security",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    friendly_name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    xml = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ip_deny_list",
                schema: "security",
                columns: table => new
                {
                    id = table.Column<string>(type: "char(32)", unicode: false, fixedLength: true, maxLength: 32, nullable: false),
                    cidr = table.Column<string>(type: "varchar(50)", unicode: false, maxLength: 50, nullable: false),
                    reason = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    created_by = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ip_deny_list", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ip_deny_list_cidr",
                schema: "security",
                table: "ip_deny_list",
                column: "cidr",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys",
                schema: "security");

            migrationBuilder.DropTable(
                name: "ip_deny_list",
                schema: "security");
        }
    }
}
