using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Modules.Tracking.Features.Dispatch;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Web.Security.Persistence;
using XiaoxiangTracking.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace XiaoxiangTracking.Tests.Persistence;

/// <summary>
/// SQL Server cannot run here, so its path is kept honest by generating each module's real migration script and
/// parsing it with SQL Server's own T-SQL parser; both providers' migrations must match the current model.
/// </summary>
public class MigrationTests
{
    private static readonly Dictionary<string, (Func<DbContext> SqlServer, Func<DbContext> Sqlite)> Modules = new()
    {
        ["orders"] = (
            () => new SqlServerOrdersDbContext(DesignTime.Options<SqlServerOrdersDbContext>(DatabaseProvider.SqlServer, OrdersDbContext.Schema)),
            () => new SqliteOrdersDbContext(DesignTime.Options<SqliteOrdersDbContext>(DatabaseProvider.Sqlite, OrdersDbContext.Schema))),
        ["tracking"] = (
            () => new SqlServerTrackingDbContext(DesignTime.Options<SqlServerTrackingDbContext>(DatabaseProvider.SqlServer, TrackingDbContext.Schema)),
            () => new SqliteTrackingDbContext(DesignTime.Options<SqliteTrackingDbContext>(DatabaseProvider.Sqlite, TrackingDbContext.Schema))),
        ["notifications"] = (
            () => new SqlServerNotificationsDbContext(DesignTime.Options<SqlServerNotificationsDbContext>(DatabaseProvider.SqlServer, NotificationsDbContext.Schema)),
            () => new SqliteNotificationsDbContext(DesignTime.Options<SqliteNotificationsDbContext>(DatabaseProvider.Sqlite, NotificationsDbContext.Schema))),
        ["security"] = (
            () => new SqlServerSecurityDbContext(DesignTime.Options<SqlServerSecurityDbContext>(DatabaseProvider.SqlServer, SecurityDbContext.Schema)),
            () => new SqliteSecurityDbContext(DesignTime.Options<SqliteSecurityDbContext>(DatabaseProvider.Sqlite, SecurityDbContext.Schema))),
    };

    public static TheoryData<string, bool> ScriptKinds()
    {
        var data = new TheoryData<string, bool>();
        foreach (var module in Modules.Keys)
        {
            data.Add(module, true);
            data.Add(module, false);
        }

        return data;
    }

    public static TheoryData<string> ModuleNames() => new(Modules.Keys);

    [Theory]
    [MemberData(nameof(ScriptKinds))]
    public void The_SQL_Server_migration_script_parses_as_T_SQL_without_errors(string module, bool idempotent)
    {
        var script = SqlServerScript(module, idempotent);

        ParseErrors(script).Should().BeEmpty();
        script.Should().Contain($"CREATE TABLE [{module}].").And.Contain($"[{module}].[__{module}_migrations]");
    }

    [Fact]
    public void The_schema_scripts_command_writes_every_module_database_and_Hangfire_in_order_each_valid_T_SQL()
    {
        using var folder = new TestFolder();

        // The host's own entry point, as the release pipeline runs it: no settings, no database, no host started.
        typeof(Program).Assembly.EntryPoint!.Invoke(null, [new[] { SchemaScripts.Command, folder.Path }]);

        var paths = Directory.GetFiles(folder.Path).Order(StringComparer.Ordinal).ToList();
        paths.Select(Path.GetFileName).Should().Equal("01-security.sql", "02-orders.sql", "03-tracking.sql", "04-notifications.sql", "05-hangfire.sql");
        foreach (var path in paths)
        {
            var script = File.ReadAllText(path);
            ParseErrors(script).Should().BeEmpty(Path.GetFileName(path));
            var name = Path.GetFileNameWithoutExtension(path)[3..];
            if (name == SchemaScripts.HangfireSchema)
            {
                script.Should().Contain("[hangfire].[Schema]");
            }
            else
            {
                script.Should().Be(SqlServerScript(name, idempotent: true), "the command writes the idempotent script of each module's migrations");
            }
        }
    }

    [Fact]
    public void Without_start_up_migration_a_host_on_an_unscripted_database_does_not_start_and_names_what_is_missing()
    {
        using var folder = new TestFolder();
        using var unmigrated = new TrackingHostFactory(folder).With("Database:ApplyMigrationsAtStartup", "false");

        var start = () => unmigrated.CreateClient();

        start.Should().Throw<InvalidOperationException>()
            .WithMessage("*DbContext lacks * migration(s): 2026*_*Apply the schema scripts*");
    }

    [Fact]
    public async Task Readiness_refuses_and_names_a_migration_the_database_lacks_and_recovers_when_it_is_applied()
    {
        using var folder = new TestFolder();
        using var host = new TrackingHostFactory(folder);
        var client = host.CreateClient();
        (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        const string Migration = "20261125064539_InitialCreate";

        // The database loses a migration (restored from an older backup): the history table no longer lists it.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = $"DELETE FROM __orders_migrations WHERE MigrationId = '{Migration}'";
            (await delete.ExecuteNonQueryAsync()).Should().Be(1);
        }

        var refused = await client.GetAsync("/health/ready");
        var checks = (await refused.ReadJsonAsync())["checks"]!.AsArray()
            .ToDictionary(c => c!["name"]!.GetValue<string>(), c => (Status: c!["status"]!.GetValue<string>(), Description: c["description"]?.GetValue<string>()));

        refused.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        checks.Keys.Should().BeEquivalentTo("orders-database", "tracking-database", "notifications-database", "security-database");
        checks["orders-database"].Should().Be(("Unhealthy", $"OrdersDbContext lacks 1 migration(s): {Migration}. Apply the schema scripts (README: Pointing it at SQL Server)."));
        checks.Where(c => c.Key != "orders-database").Should().OnlyContain(c => c.Value.Status == "Healthy");

        // Applying the scripts again records it (here: as the script would, the history row; the tables are there).
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO __orders_migrations (MigrationId, ProductVersion) VALUES ('{Migration}', '10.0.0')";
            await insert.ExecuteNonQueryAsync();
        }

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "readiness looks again on every probe");
    }

    [Fact]
    public void The_orders_script_has_the_seed_column_types()
    {
        SqlServerScript("orders", idempotent: false).Should()
            .Contain("CREATE TABLE [orders].[orders]")
            .And.Contain("[total_amount] decimal(10,2) NOT NULL")
            .And.Contain("[id] char(32) NOT NULL")
            .And.Contain("[status] tinyint NOT NULL")
            .And.Contain("CREATE TABLE [orders].[outbox_messages]")
            .And.Contain("CREATE TABLE [orders].[idempotency_keys]");
    }

    [Fact]
    public void The_tracking_script_stores_positions_and_latest_fixes_as_geography_with_spatial_indexes()
    {
        var script = SqlServerScript("tracking", idempotent: false);

        script.Should()
            .Contain("CREATE TABLE [tracking].[rider_positions]")
            .And.Contain("CREATE TABLE [tracking].[order_tracking]")
            .And.Contain("geography::Point([latitude], [longitude], 4326) PERSISTED")
            .And.Contain("CREATE SPATIAL INDEX [SIX_rider_positions_location]")
            .And.Contain("CREATE TABLE [tracking].[rider_latest]")
            .And.Contain("CREATE SPATIAL INDEX [SIX_rider_latest_location]")
            .And.Contain("CREATE TABLE [tracking].[live_orders]")
            .And.Contain("CREATE UNIQUE INDEX [IX_rider_positions_rider_id_client_point_id]")
            .And.Contain("CREATE INDEX [IX_order_tracking_order_id_created_at]");
        var statements = ParseStatements(script);
        statements.OfType<CreateSpatialIndexStatement>().Select(s => s.Object.BaseIdentifier.Value).Distinct()
            .Should().BeEquivalentTo("rider_positions", "rider_latest");
        statements.OfType<AlterTableAddTableElementStatement>()
            .Where(s => s.Definition.ColumnDefinitions.Any(c => c.ColumnIdentifier.Value == "location" && c.IsPersisted))
            .Select(s => s.SchemaObjectName.BaseIdentifier.Value)
            .Should().BeEquivalentTo("rider_positions", "rider_latest");
    }

    [Fact]
    public void The_tracking_script_partitions_positions_by_month_with_every_index_aligned()
    {
        var statements = ParseStatements(SqlServerScript("tracking", idempotent: false));

        var function = statements.OfType<CreatePartitionFunctionStatement>().Should().ContainSingle().Subject;
        function.Name.Value.Should().Be(SqlServerPartitioning.Function);
        function.Range.Should().Be(PartitionFunctionRange.Right);
        function.BoundaryValues.Should().HaveCount(60);
        ((StringLiteral)function.BoundaryValues[0]).Value.Should().Be("2026-01-01T00:00:00+00:00");
        ((StringLiteral)function.BoundaryValues[^1]).Value.Should().Be("2030-12-01T00:00:00+00:00");
        statements.OfType<CreatePartitionSchemeStatement>().Should().ContainSingle()
            .Which.PartitionFunction.Value.Should().Be(SqlServerPartitioning.Function);

        // From the scheme on, the key and every index of the positions are on it, partitioned by fix time.
        var partitioned = statements.SkipWhile(s => s is not CreatePartitionSchemeStatement).ToList();
        var key = partitioned.OfType<AlterTableAddTableElementStatement>()
            .SelectMany(s => s.Definition.TableConstraints.OfType<UniqueConstraintDefinition>())
            .Should().ContainSingle(c => c.IsPrimaryKey).Subject;
        key.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).Should().Equal("id", "fix_time");
        key.OnFileGroupOrPartitionScheme.Name.Value.Should().Be(SqlServerPartitioning.Scheme);
        var indexes = partitioned.OfType<CreateIndexStatement>().Where(i => i.OnName.BaseIdentifier.Value == "rider_positions").ToList();
        indexes.Select(i => i.Name.Value).Should().BeEquivalentTo(
            "IX_rider_positions_rider_id_fix_time", "IX_rider_positions_rider_id_client_point_id", "IX_rider_positions_geohash_fix_time");
        indexes.Should().OnlyContain(i => i.OnFileGroupOrPartitionScheme.Name.Value == SqlServerPartitioning.Scheme
            && i.OnFileGroupOrPartitionScheme.PartitionSchemeColumns.Single().Value == "fix_time"
            && i.Columns.Any(c => c.Column.MultiPartIdentifier.Identifiers.Last().Value == "fix_time"));
        partitioned.OfType<CreateSpatialIndexStatement>().Should().ContainSingle(i => i.Object.BaseIdentifier.Value == "rider_positions");
    }

    [Fact]
    public void Undoing_the_partitioning_and_adding_a_month_parse_as_T_SQL()
    {
        using var context = Modules["tracking"].SqlServer();
        var down = context.GetService<IMigrator>().GenerateScript(fromMigration: "PartitionPositionsByMonth", toMigration: "EncryptPersonalData");

        var statements = ParseStatements(down);
        statements.OfType<DropPartitionSchemeStatement>().Should().ContainSingle();
        statements.OfType<DropPartitionFunctionStatement>().Should().ContainSingle();
        ParseStatements(SqlServerPartitioning.SplitMonth(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero))).Select(s => s.GetType())
            .Should().Equal(typeof(AlterPartitionSchemeStatement), typeof(AlterPartitionFunctionStatement));
    }

    [Fact]
    public void The_SQL_Server_hot_path_and_dispatch_statements_parse_as_T_SQL()
    {
        ParseStatements(LivePositionUpdate.SqlServerLatestFix).Select(s => s.GetType())
            .Should().Equal(typeof(UpdateStatement), typeof(IfStatement));
        ParseStatements(LivePositionUpdate.SqlServerLiveOrders).Should().ContainSingle()
            .Which.Should().BeOfType<UpdateStatement>()
            .Which.UpdateSpecification.OutputClause.Should().NotBeNull();
        ParseStatements(NearbyRiders.SqlServerSql).Should().ContainSingle().Which.Should().BeOfType<SelectStatement>();
    }

    [Fact]
    public void The_SQL_Server_position_insert_parses_as_T_SQL()
    {
        var statements = ParseStatements(PositionInsert.SqlServerSql);

        statements.Should().ContainSingle().Which.Should().BeOfType<InsertStatement>();
    }

    [Fact]
    public void After_the_last_SQL_Server_migration_positions_keep_one_index_besides_their_location_rider_and_fix_time_unique()
    {
        var indexes = new Dictionary<string, bool>();
        foreach (var statement in ParseStatements(SqlServerScript("tracking", idempotent: false)))
        {
            if (statement is CreateIndexStatement create && create.OnName.BaseIdentifier.Value == "rider_positions")
            {
                indexes[create.Name.Value] = create.Unique;
            }
            else if (statement is DropIndexStatement drop)
            {
                foreach (var clause in drop.DropIndexClauses.OfType<DropIndexClause>().Where(c => c.Object.BaseIdentifier.Value == "rider_positions"))
                {
                    indexes.Remove(clause.Index.Value);
                }
            }
        }

        indexes.Should().Equal(new Dictionary<string, bool> { ["IX_rider_positions_rider_id_fix_time"] = true });
    }

    [Fact]
    public async Task A_migrated_SQLite_database_keeps_one_index_on_positions_rider_and_fix_time_unique()
    {
        using var host = new TrackingHostFactory();
        host.CreateClient();
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT il.name, il.[unique], group_concat(ii.name, ',') FROM pragma_index_list('tracking_rider_positions') il " +
            "JOIN pragma_index_info(il.name) ii GROUP BY il.name, il.[unique]";
        var indexes = new List<(string, long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        indexes.Should().Equal(("IX_tracking_rider_positions_rider_id_fix_time", 1L, "rider_id,fix_time"));
    }

    [Fact]
    public async Task Rejected_fix_counts_leave_the_live_state_with_the_migration_and_come_back_when_it_is_undone()
    {
        using var host = new TrackingHostFactory();
        var id = (await host.CreateClient().PlaceAsync()).Id();
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        await Eventually.Until(() => db.LiveOrders.AnyAsync(l => l.OrderId == id));
        await db.Database.ExecuteSqlAsync($"INSERT INTO tracking_rejected_fixes (order_id, count) VALUES ({id}, 3)");
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync("20261206021652_EndedOrdersHaveNoPosition");
        (await db.Database.SqlQuery<int>($"SELECT rejected_fixes AS Value FROM tracking_live_orders WHERE order_id = {id}").SingleAsync())
            .Should().Be(3);

        await migrator.MigrateAsync();
        (await db.Database.SqlQuery<int>($"SELECT count AS Value FROM tracking_rejected_fixes WHERE order_id = {id}").SingleAsync())
            .Should().Be(3);
        (await db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_table_info('tracking_live_orders')").ToListAsync())
            .Should().Contain("order_id").And.NotContain("rejected_fixes");
    }

    [Fact]
    public void The_parser_check_can_fail()
    {
        ParseErrors(SqlServerScript("orders", idempotent: true).Replace("CREATE TABLE", "CREATE TABEL", StringComparison.Ordinal))
            .Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Both_providers_migrations_match_the_model(string module)
    {
        using var sqlServer = Modules[module].SqlServer();
        using var sqlite = Modules[module].Sqlite();

        sqlServer.Database.HasPendingModelChanges().Should().BeFalse($"run dotnet ef migrations add for the SQL Server {module} context");
        sqlite.Database.HasPendingModelChanges().Should().BeFalse($"run dotnet ef migrations add for the SQLite {module} context");
    }

    private static string SqlServerScript(string module, bool idempotent)
    {
        using var context = Modules[module].SqlServer();
        return context.GetService<IMigrator>().GenerateScript(
            options: idempotent ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default);
    }

    private static List<string> ParseErrors(string script)
    {
        using var reader = new StringReader(script);
        new TSql170Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        return [.. errors.Select(e => $"line {e.Line}: {e.Message}")];
    }

    private static List<TSqlStatement> ParseStatements(string script)
    {
        using var reader = new StringReader(script);
        var fragment = (TSqlScript)new TSql170Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        errors.Should().BeEmpty();
        return [.. fragment.Batches.SelectMany(b => b.Statements)];
    }
}
