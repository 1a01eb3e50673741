namespace Cohort.Sync.State;

/// <summary>
/// Where the sync state lives: the <c>cohort_state</c> schema of the warehouse itself, or, for an in-memory DuckDB
/// warehouse (whose contents end with the process), a DuckDB file attached as its own catalog.
/// </summary>
public sealed record StateLocation(string Schema = StateLocation.DefaultSchema, string? Catalog = null, string? DuckDbFile = null)
{
    public const string DefaultSchema = "cohort_state";

    public static StateLocation InWarehouse { get; } = new();

    /// <summary>State in a DuckDB file next to an in-memory warehouse, attached as <c>cohort_state_db</c>.</summary>
    public static StateLocation AttachedDuckDb(string path) => new(DefaultSchema, "cohort_state_db", Path.GetFullPath(path));

    internal string QualifiedSchema => Catalog is null ? Quote(Schema) : $"{Quote(Catalog)}.{Quote(Schema)}";

    internal string Table(string name) => $"{QualifiedSchema}.{Quote(name)}";

    /// <summary>The unquoted dotted name bulk loads take.</summary>
    internal string RawTable(string name) => Catalog is null ? $"{Schema}.{name}" : $"{Catalog}.{Schema}.{name}";

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// The state tables (docs/sync.md, "State"). Shared by every sync: <c>syncs</c>, <c>runs</c>, <c>run_rows</c>,
/// <c>membership_history</c> and the <c>run_ids</c> sequence. Per sync: <c>sync_&lt;name&gt;_snapshot</c> (what the
/// destination is known to hold), <c>_log</c> (confirmed rows not yet folded into the snapshot), <c>_plan</c> (the
/// current run's diff) and <c>_fold</c> (scratch for folding the log).
/// </summary>
internal sealed class StateTables(StateLocation location, StateDialect dialect)
{
    public StateLocation Location { get; } = location;

    public StateDialect Dialect { get; } = dialect;

    public string Syncs => Location.Table("syncs");

    public string Runs => Location.Table("runs");

    public string RunRows => Location.Table("run_rows");

    public string History => Location.Table("membership_history");

    public string RunIds => Location.Table("run_ids");

    public string RunIdsName => Location.Catalog is null ? $"{Location.Schema}.run_ids" : $"{Location.Catalog}.{Location.Schema}.run_ids";

    public string Snapshot(string sync) => Location.Table($"sync_{sync}_snapshot");

    public string Log(string sync) => Location.Table($"sync_{sync}_log");

    public string Plan(string sync) => Location.Table($"sync_{sync}_plan");

    public string Fold(string sync) => Location.Table($"sync_{sync}_fold");

    public string RawLog(string sync) => Location.RawTable($"sync_{sync}_log");

    public string RawRunRows => Location.RawTable("run_rows");

    public string PlanIndex(string sync) => StateLocation.Quote($"sync_{sync}_plan_key");

    /// <summary>The shared tables; idempotent.</summary>
    public IEnumerable<string> SharedDdl()
    {
        var d = Dialect;
        if (d.Preamble(Location) is { Length: > 0 } preamble) yield return preamble;
        yield return $"CREATE SCHEMA IF NOT EXISTS {Location.QualifiedSchema}";
        yield return $"CREATE SEQUENCE IF NOT EXISTS {RunIds}";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {Syncs} (
                sync_name {d.KeyType} PRIMARY KEY,
                fingerprint {d.KeyType} NOT NULL,
                created_at {d.TimestampType} NOT NULL,
                updated_at {d.TimestampType} NOT NULL)
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {Runs} (
                run_id BIGINT PRIMARY KEY,
                sync_name {d.KeyType} NOT NULL,
                destination {d.KeyType} NOT NULL,
                mode {d.KeyType} NOT NULL,
                status {d.KeyType} NOT NULL,
                started_at {d.TimestampType} NOT NULL,
                as_of {d.TimestampType} NOT NULL,
                finished_at {d.TimestampType},
                audience_size BIGINT,
                planned BIGINT NOT NULL DEFAULT 0,
                added BIGINT NOT NULL DEFAULT 0,
                changed BIGINT NOT NULL DEFAULT 0,
                removed BIGINT NOT NULL DEFAULT 0,
                sent BIGINT NOT NULL DEFAULT 0,
                succeeded BIGINT NOT NULL DEFAULT 0,
                failed_invalid BIGINT NOT NULL DEFAULT 0,
                failed_rejected BIGINT NOT NULL DEFAULT 0,
                skipped BIGINT NOT NULL DEFAULT 0,
                pending BIGINT NOT NULL DEFAULT 0,
                requests BIGINT NOT NULL DEFAULT 0,
                retries BIGINT NOT NULL DEFAULT 0,
                plan_ms BIGINT NOT NULL DEFAULT 0,
                send_ms BIGINT NOT NULL DEFAULT 0,
                commit_ms BIGINT NOT NULL DEFAULT 0,
                total_ms BIGINT NOT NULL DEFAULT 0,
                error {d.KeyType})
            """;
        // Added after the first release: state schemas made before it get the columns here.
        yield return $"ALTER TABLE {Runs} ADD COLUMN IF NOT EXISTS match_records BIGINT";
        yield return $"ALTER TABLE {Runs} ADD COLUMN IF NOT EXISTS match_usable BIGINT";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {RunRows} (
                run_id BIGINT NOT NULL,
                sync_name {d.KeyType} NOT NULL,
                key {d.KeyType} NOT NULL,
                change {d.KeyType} NOT NULL,
                operation {d.KeyType},
                outcome {d.KeyType} NOT NULL,
                reason {d.KeyType},
                attempts INTEGER NOT NULL)
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {History} (
                sync_name {d.KeyType} NOT NULL,
                run_id BIGINT NOT NULL,
                key {d.KeyType} NOT NULL,
                event {d.KeyType} NOT NULL,
                occurred_at {d.TimestampType} NOT NULL)
            """;
    }

    /// <summary>The tables of one sync that outlive a run; idempotent.</summary>
    public IEnumerable<string> SyncDdl(string sync)
    {
        var d = Dialect;
        yield return $"CREATE TABLE IF NOT EXISTS {Snapshot(sync)} (key {d.KeyType} PRIMARY KEY, payload_hash {d.HashType} NOT NULL, payload {d.KeyType} NOT NULL)"
            .Replace(" PRIMARY KEY", d.Name == Sql.SqlDialectName.Postgres ? " PRIMARY KEY" : "", StringComparison.Ordinal);
        yield return $"""
            CREATE TABLE IF NOT EXISTS {Log(sync)} (
                run_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                key {d.KeyType} NOT NULL,
                change {d.KeyType} NOT NULL,
                action {d.KeyType} NOT NULL,
                payload {d.KeyType},
                confirmed BOOLEAN NOT NULL)
            """;
    }

    public string PlanColumns => $"key {Dialect.KeyType} NOT NULL, change {Dialect.KeyType} NOT NULL, payload {Dialect.KeyType}";

    public string FoldColumns => $"key {Dialect.KeyType} NOT NULL, run_id BIGINT NOT NULL, change {Dialect.KeyType} NOT NULL, action {Dialect.KeyType} NOT NULL, payload {Dialect.KeyType}";
}
