using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cohort.Server.Store;

/// <summary>Which database keeps the server's metadata.</summary>
public enum StoreKind
{
    /// <summary>An embedded SQLite file: the default for one server.</summary>
    Sqlite,
    /// <summary>A PostgreSQL database: for teams and several server processes.</summary>
    Postgres,
}

/// <summary>
/// The metadata store: definitions and their versions, users, tokens, the audit log, jobs and runs, audience size
/// history and the Data Protection key ring. Everything is plain SQL shared by both engines; what differs (DDL for
/// identity columns, job leasing) is in the two subclasses. Values are always bound parameters.
/// Timestamps are stored as UTC Unix milliseconds (BIGINT), which sort and compare the same on both engines.
/// </summary>
public abstract class MetadataStore : IAsyncDisposable
{
    private readonly DbDataSource _source;

    private protected MetadataStore(DbDataSource source) => _source = source;

    public abstract StoreKind Kind { get; }

    /// <summary>Where the store is, without secrets (for logs and the start-up banner).</summary>
    public abstract string Description { get; }

    /// <summary>Opens the store named by a spec: <c>sqlite:PATH</c> or <c>postgres:CONNECTION_STRING</c>.</summary>
    public static MetadataStore Open(string spec)
    {
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return new SqliteMetadataStore(spec["sqlite:".Length..]);
        if (spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)) return new PostgresMetadataStore(spec["postgres:".Length..]);
        throw new ArgumentException($"Unknown metadata store '{spec}': use sqlite:<file> or postgres:<connection string>.", nameof(spec));
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default)
    {
        var connection = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await OnOpenedAsync(connection, ct).ConfigureAwait(false);
        return connection;
    }

    private protected virtual Task OnOpenedAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Creates the tables (idempotent) and installs the append-only guard on the audit log.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var statement in SchemaStatements())
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>An auto-numbered BIGINT primary key column, per engine.</summary>
    private protected abstract string IdentityColumn { get; }

    private protected abstract IEnumerable<string> AppendOnlyGuard();

    private IEnumerable<string> SchemaStatements()
    {
        yield return """
            CREATE TABLE IF NOT EXISTS documents (
                kind TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
                format TEXT NOT NULL, content TEXT NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL,
                created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
                PRIMARY KEY (kind, name))
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS document_versions (
                kind TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
                format TEXT NOT NULL, content TEXT NOT NULL, author TEXT NOT NULL, created_at BIGINT NOT NULL,
                diff TEXT NOT NULL, comment TEXT NULL,
                PRIMARY KEY (kind, name, version))
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL,
                pii_access INTEGER NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, created_at BIGINT NOT NULL)
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS api_tokens (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL, last_used_at BIGINT NULL, revoked_at BIGINT NULL)
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS audit_log (
                seq {IdentityColumn}, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                target_kind TEXT NOT NULL, target_name TEXT NOT NULL, outcome TEXT NOT NULL,
                before_value TEXT NULL, after_value TEXT NULL, detail TEXT NULL)
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS destination_secrets (
                destination TEXT NOT NULL, secret_key TEXT NOT NULL, ciphertext TEXT NOT NULL,
                updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (destination, secret_key))
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS sync_jobs (
                sync_name TEXT PRIMARY KEY, schedule TEXT NOT NULL, next_run_at BIGINT NULL,
                lease_owner TEXT NULL, lease_until BIGINT NULL, last_started_at BIGINT NULL,
                last_finished_at BIGINT NULL, last_duration_ms BIGINT NULL, last_status TEXT NULL)
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS sync_runs (
                id TEXT PRIMARY KEY, sync_name TEXT NOT NULL, trigger_kind TEXT NOT NULL, status TEXT NOT NULL,
                runner TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT NULL, detail TEXT NULL)
            """;
        yield return "CREATE INDEX IF NOT EXISTS sync_runs_by_sync ON sync_runs (sync_name, started_at)";
        // What the sync engine recorded for a run (docs/sync.md, "Run records"); a table of its own so older stores need no ALTER.
        yield return """
            CREATE TABLE IF NOT EXISTS sync_run_results (
                run_id TEXT PRIMARY KEY, engine_run_id BIGINT NOT NULL, planned BIGINT NOT NULL, added BIGINT NOT NULL,
                changed BIGINT NOT NULL, removed BIGINT NOT NULL, sent BIGINT NOT NULL, succeeded BIGINT NOT NULL,
                failed BIGINT NOT NULL, skipped BIGINT NOT NULL, pending BIGINT NOT NULL, requests BIGINT NOT NULL,
                retries BIGINT NOT NULL, plan_ms BIGINT NOT NULL, send_ms BIGINT NOT NULL, commit_ms BIGINT NOT NULL,
                audience_size BIGINT NULL)
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS audience_sizes (
                seq {IdentityColumn}, audience TEXT NOT NULL, at BIGINT NOT NULL, size BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL, trigger_kind TEXT NOT NULL)
            """;
        yield return "CREATE INDEX IF NOT EXISTS audience_sizes_by_audience ON audience_sizes (audience, at)";
        yield return "CREATE TABLE IF NOT EXISTS dataprotection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL)";
        foreach (var statement in AppendOnlyGuard()) yield return statement;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> due sync jobs whose lease is free or expired, atomically, for
    /// <paramref name="owner"/> until <paramref name="leaseUntil"/>. Two processes never claim the same job.
    /// </summary>
    public abstract Task<IReadOnlyList<string>> ClaimDueJobsAsync(string owner, long now, long leaseUntil, int max, CancellationToken ct);

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        return await QueryAsync(connection, null, sql, map, ct, parameters).ConfigureAwait(false);
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking).</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var result = await work(connection, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _source.DisposeAsync();
    }
}

internal sealed class SqliteMetadataStore : MetadataStore
{
    private readonly string _path;

    public SqliteMetadataStore(string path) : base(SqliteFactory.Instance.CreateDataSource(ConnectionString(path))) => _path = path;

    public override StoreKind Kind => StoreKind.Sqlite;

    public override string Description => $"SQLite {Path.GetFullPath(_path)}";

    private static string ConnectionString(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } dir) Directory.CreateDirectory(dir);
        // Default Timeout doubles as the busy timeout: a writer waits for another process's write instead of failing.
        return new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30, Pooling = true }.ToString();
    }

    private protected override async Task OnOpenedAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private protected override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    private protected override IEnumerable<string> AppendOnlyGuard()
    {
        yield return "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";
        yield return "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";
    }

    // SQLite serialises writers, so one UPDATE whose WHERE re-checks the lease is atomic across processes.
    public override Task<IReadOnlyList<string>> ClaimDueJobsAsync(string owner, long now, long leaseUntil, int max, CancellationToken ct) =>
        ClaimAsync("""
            UPDATE sync_jobs SET lease_owner = @owner, lease_until = @until
            WHERE sync_name IN (
                SELECT sync_name FROM sync_jobs
                WHERE next_run_at IS NOT NULL AND next_run_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY next_run_at, sync_name LIMIT @max)
              AND (lease_until IS NULL OR lease_until < @now)
            RETURNING sync_name
            """, owner, now, leaseUntil, max, ct);

    private async Task<IReadOnlyList<string>> ClaimAsync(string sql, string owner, long now, long until, int max, CancellationToken ct) =>
        await QueryAsync(sql, r => r.GetString(0), ct, ("@owner", owner), ("@until", until), ("@now", now), ("@max", max)).ConfigureAwait(false);
}

internal sealed class PostgresMetadataStore(string connectionString) : MetadataStore(NpgsqlDataSource.Create(connectionString))
{
    public override StoreKind Kind => StoreKind.Postgres;

    public override string Description
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        }
    }

    private protected override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    private protected override IEnumerable<string> AppendOnlyGuard()
    {
        yield return """
            CREATE OR REPLACE FUNCTION cohort_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
            """;
        yield return "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log";
        yield return "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION cohort_audit_append_only()";
        yield return "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log";
        yield return "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION cohort_audit_append_only()";
    }

    // Row locks with SKIP LOCKED: a job locked by another server is passed over, never waited for or claimed twice.
    public override async Task<IReadOnlyList<string>> ClaimDueJobsAsync(string owner, long now, long leaseUntil, int max, CancellationToken ct) =>
        await QueryAsync("""
            UPDATE sync_jobs SET lease_owner = @owner, lease_until = @until
            WHERE sync_name IN (
                SELECT sync_name FROM sync_jobs
                WHERE next_run_at IS NOT NULL AND next_run_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY next_run_at, sync_name LIMIT @max
                FOR UPDATE SKIP LOCKED)
            RETURNING sync_name
            """, r => r.GetString(0), ct, ("@owner", owner), ("@until", leaseUntil), ("@now", now), ("@max", max)).ConfigureAwait(false);
}
