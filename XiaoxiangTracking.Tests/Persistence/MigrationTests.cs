using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Tests.Persistence;

/// <summary>
/// SQL Server cannot run here, so its path is kept honest by generating the real migration script and parsing it
/// with SQL Server's own T-SQL parser; both providers' migrations must match the current model.
/// </summary>
public class MigrationTests
{
    [Fact]
    public void The_SQL_Server_migration_script_parses_as_T_SQL_without_errors()
    {
        var script = SqlServerScript();

        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);

        errors.Select(e => $"line {e.Line}: {e.Message}").Should().BeEmpty();
        script.Should().Contain("CREATE TABLE [orders].[orders]")
            .And.Contain("[total_amount] decimal(10,2) NOT NULL")
            .And.Contain("[id] char(32) NOT NULL")
            .And.Contain("CREATE TABLE [orders].[outbox_messages]")
            .And.Contain("CREATE TABLE [orders].[idempotency_keys]")
            .And.Contain("[orders].[__orders_migrations]");
    }

    [Fact]
    public void The_parser_check_can_fail()
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(SqlServerScript().Replace("CREATE TABLE", "CREATE TABEL", StringComparison.Ordinal));
        parser.Parse(reader, out var errors);

        errors.Should().NotBeEmpty();
    }

    [Fact]
    public void The_SQL_Server_migrations_match_the_model()
    {
        using var context = new SqlServerOrdersDbContext(DesignTime.Options<SqlServerOrdersDbContext>(DatabaseProvider.SqlServer, OrdersDbContext.Schema));

        context.Database.HasPendingModelChanges().Should().BeFalse("run dotnet ef migrations add for SqlServerOrdersDbContext");
    }

    [Fact]
    public void The_SQLite_migrations_match_the_model()
    {
        using var context = new SqliteOrdersDbContext(DesignTime.Options<SqliteOrdersDbContext>(DatabaseProvider.Sqlite, OrdersDbContext.Schema));

        context.Database.HasPendingModelChanges().Should().BeFalse("run dotnet ef migrations add for SqliteOrdersDbContext");
    }

    private static string SqlServerScript()
    {
        using var context = new SqlServerOrdersDbContext(DesignTime.Options<SqlServerOrdersDbContext>(DatabaseProvider.SqlServer, OrdersDbContext.Schema));
        return context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }
}
