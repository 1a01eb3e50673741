using System.Collections.Immutable;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Identity;

/// <summary>
/// The little SQL the identity engine needs that differs between DuckDB and PostgreSQL, and helpers for text it
/// writes itself. Names written into SQL come only from validated identity rules and are always quoted.
/// </summary>
internal sealed class IdentitySql(SqlDialectName dialect, string stateSchema, string? workDatabase = null)
{
    /// <summary>The DuckDB in-memory database work tables go to, so intermediate tables never reach the file's WAL.</summary>
    public const string DuckDbWorkDatabase = "cohort_identity_work";

    /// <summary>For DuckDB: a separate in-memory database for work tables; null to keep them in the state schema.</summary>
    public string? WorkDatabase { get; } = workDatabase;

    /// <summary>A work table: in the in-memory work database when there is one, else in the state schema.</summary>
    public string Work(string name) => WorkDatabase is null ? T(name) : $"{Quote(WorkDatabase)}.main.{Quote(name)}";

    /// <summary>The statement that makes the work database available (DuckDB); empty when work tables live in the state schema.</summary>
    public string AttachWork() => WorkDatabase is null ? "" : $"ATTACH IF NOT EXISTS ':memory:' AS {Quote(WorkDatabase)}";

    public SqlDialectName Dialect { get; } = dialect;

    public string Schema { get; } = stateSchema;

    /// <summary>A table of the state schema, quoted.</summary>
    public string T(string name) => $"{Quote(Schema)}.{Quote(name)}";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal of a definition name (never row data).</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A table reference written in the rules (<c>t</c> or <c>schema.t</c>), each part quoted.</summary>
    public static string Relation(string name) =>
        name.StartsWith('(') ? name : string.Join(".", name.Split('.').Select(Quote));

    public string RegexMatch(string value, string pattern) => Dialect == SqlDialectName.DuckDb
        ? $"regexp_matches({value}, {pattern})"
        : $"({value} ~ {pattern})";

    public CompiledSql Sql(string text, params (SqlParameterType Type, object Value)[] parameters) =>
        new(Dialect, text, [.. parameters.Select((p, i) => new SqlParameter(i + 1, p.Type, p.Value))]);

    /// <summary>PostgreSQL plans work tables better with statistics; DuckDB keeps its own.</summary>
    public string Analyze(string table) => Dialect == SqlDialectName.Postgres ? $";\nANALYZE {table}" : "";

    /// <summary>Wraps statements so they apply together: DuckDB needs BEGIN/COMMIT, PostgreSQL runs a script as one transaction.</summary>
    public string Atomic(IEnumerable<string> statements)
    {
        var body = string.Join(";\n", statements);
        return Dialect == SqlDialectName.DuckDb ? $"BEGIN TRANSACTION;\n{body};\nCOMMIT" : body;
    }

    public static async Task<long> LongAsync(IWarehouse warehouse, CompiledSql sql, CancellationToken ct) =>
        Convert.ToInt64(await warehouse.ScalarAsync(sql, ct).ConfigureAwait(false) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<List<object?[]>> RowsAsync(IWarehouse warehouse, CompiledSql sql, CancellationToken ct)
    {
        var rows = new List<object?[]>();
        await foreach (var row in warehouse.QueryAsync(sql, ct).ConfigureAwait(false)) rows.Add(row);
        return rows;
    }

    public static ImmutableArray<string> Lines(params string[] lines) => [.. lines];
}
