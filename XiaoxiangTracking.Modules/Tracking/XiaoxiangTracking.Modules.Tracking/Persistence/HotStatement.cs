using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// One of the position writer's statements, prepared once on its connection and executed for every fix: values are set
/// by the position of their parameter in <see cref="Prepare"/>'s list. On SQLite the statement is SQLite's own, bound
/// by index: Microsoft.Data.Sqlite looks each parameter up by name and allocates a binder for it on every execution,
/// which on the writer's three statements a fix took a third of its commit time. On SQL Server it is a plain command.
/// </summary>
internal abstract class HotStatement : IAsyncDisposable
{
    public static HotStatement Prepare(DbConnection connection, string sql, IReadOnlyList<string> parameters) =>
        connection is SqliteConnection sqlite
            ? new SqliteHotStatement(sqlite, sql, parameters)
            : new CommandHotStatement(connection, sql, parameters);

    /// <summary>The transaction the next executions belong to (SQLite's statements join the connection's own).</summary>
    public abstract DbTransaction Transaction { set; }

    public abstract void Set(int parameter, string value);

    public abstract void Set(int parameter, double? value);

    /// <summary>A timestamp as EF stores it for the provider: UTC ticks on SQLite, <c>datetimeoffset</c> on SQL Server.</summary>
    public abstract void Set(int parameter, DateTimeOffset value);

    /// <summary>Runs the statement; the rows it changed.</summary>
    public abstract ValueTask<int> ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>Runs the statement and hands each row it returns (a string and a number) to <paramref name="row"/>.</summary>
    public abstract ValueTask ReadAsync(Action<string, long> row, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteHotStatement : HotStatement
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly int[] _index;

        public SqliteHotStatement(SqliteConnection connection, string sql, IReadOnlyList<string> parameters)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
            Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
            _index = [.. parameters.Select(name => raw.sqlite3_bind_parameter_index(_statement, name) is var i and > 0
                ? i
                : throw new ArgumentException($"The statement has no parameter {name}.", nameof(parameters)))];
        }

        public override DbTransaction Transaction
        {
            set { }
        }

        public override void Set(int parameter, string value) => Check(raw.sqlite3_bind_text(_statement, _index[parameter], value));

        public override void Set(int parameter, double? value) => Check(value is { } number
            ? raw.sqlite3_bind_double(_statement, _index[parameter], number)
            : raw.sqlite3_bind_null(_statement, _index[parameter]));

        public override void Set(int parameter, DateTimeOffset value) => Check(raw.sqlite3_bind_int64(_statement, _index[parameter], value.UtcTicks));

        public override ValueTask<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            try
            {
                int result;
                while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
                {
                }

                Check(result);
                return ValueTask.FromResult(raw.sqlite3_changes(_db));
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public override ValueTask ReadAsync(Action<string, long> row, CancellationToken cancellationToken)
        {
            try
            {
                int result;
                while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
                {
                    row(raw.sqlite3_column_text(_statement, 0).utf8_to_string(), raw.sqlite3_column_int64(_statement, 1));
                }

                Check(result);
                return ValueTask.CompletedTask;
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public override ValueTask DisposeAsync()
        {
            _statement.Dispose();
            return ValueTask.CompletedTask;
        }

        private void Check(int result)
        {
            if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
            {
                SqliteException.ThrowExceptionForRC(result, _db);
            }
        }
    }

    private sealed class CommandHotStatement : HotStatement
    {
        private readonly DbCommand _command;

        public CommandHotStatement(DbConnection connection, string sql, IReadOnlyList<string> parameters)
        {
            _command = connection.CreateCommand();
            _command.CommandText = sql;
            foreach (var name in parameters)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = name;
                _command.Parameters.Add(parameter);
            }
        }

        public override DbTransaction Transaction
        {
            set => _command.Transaction = value;
        }

        public override void Set(int parameter, string value) => _command.Parameters[parameter].Value = value;

        public override void Set(int parameter, double? value) => _command.Parameters[parameter].Value = (object?)value ?? DBNull.Value;

        public override void Set(int parameter, DateTimeOffset value) => _command.Parameters[parameter].Value = value;

        public override async ValueTask<int> ExecuteAsync(CancellationToken cancellationToken) =>
            await _command.ExecuteNonQueryAsync(cancellationToken);

        public override async ValueTask ReadAsync(Action<string, long> row, CancellationToken cancellationToken)
        {
            await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row(reader.GetString(0), reader.GetInt64(1));
            }
        }

        public override ValueTask DisposeAsync() => _command.DisposeAsync();
    }
}
