using Cohort.Core.Schema;
using Cohort.Sql;

namespace Cohort.Sync.State;

/// <summary>
/// The few places where the state tables and the payload rendering differ between engines. Everything else the
/// sync engine writes is the same SQL on DuckDB and PostgreSQL. See docs/sync.md ("Payload and hash").
/// </summary>
internal abstract class StateDialect
{
    public static StateDialect For(SqlDialectName name) => name switch
    {
        SqlDialectName.DuckDb => DuckDbStateDialect.Instance,
        SqlDialectName.Postgres => PostgresStateDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public abstract SqlDialectName Name { get; }

    /// <summary>The type of sync keys: text, compared and ordered by code point on both engines.</summary>
    public abstract string KeyType { get; }

    /// <summary>The type holding the 128-bit md5 digest of a payload.</summary>
    public abstract string HashType { get; }

    public abstract string TimestampType { get; }

    /// <summary>The md5 digest of a text expression, as <see cref="HashType"/>.</summary>
    public abstract string Hash(string text);

    /// <summary>A value as text (for keys and identifiers): dates as YYYY-MM-DD, timestamps as ISO 8601 UTC with microseconds.</summary>
    public string Text(string value, DataType? type) => type switch
    {
        { IsArray: false, Element: ScalarType.Date } => DateText(value),
        { IsArray: false, Element: ScalarType.Timestamp } => TimestampText(value),
        { IsArray: false, Element: ScalarType.Boolean } => $"CASE WHEN {value} THEN 'true' WHEN NOT {value} THEN 'false' END",
        { IsArray: false, Element: ScalarType.Number } => NumberText(value),
        _ => $"CAST({value} AS {TextType})",
    };

    /// <summary>A value as JSON text, NULL for SQL NULL (the caller writes JSON null). Identical on both engines for the same value.</summary>
    public string Json(string value, DataType? type) => type switch
    {
        { IsArray: true } => JsonArray(value),
        { Element: ScalarType.Integer } => $"CAST({value} AS {TextType})",
        { Element: ScalarType.Number } => NumberText(value),
        { Element: ScalarType.Boolean } => $"CASE WHEN {value} THEN 'true' WHEN NOT {value} THEN 'false' END",
        { Element: ScalarType.Date } => $"'\"' || {DateText(value)} || '\"'",
        { Element: ScalarType.Timestamp } => $"'\"' || {TimestampText(value)} || '\"'",
        _ => JsonString($"CAST({value} AS {TextType})"),
    };

    protected abstract string TextType { get; }

    /// <summary>A text expression as a JSON string literal (quoted and escaped).</summary>
    public abstract string JsonString(string text);

    protected abstract string JsonArray(string value);

    protected abstract string DateText(string value);

    protected abstract string TimestampText(string value);

    /// <summary>
    /// A number as text, NULL when it is not finite (JSON has no NaN or infinity). Trailing zeros of the fraction are
    /// dropped (12.50 → 12.5, 0.00 → 0), since the engines keep different scales for the same value (a sum of no rows).
    /// </summary>
    protected abstract string NumberText(string value);

    /// <summary>A number's text, computed once per row in an inner projection (see <see cref="NumberJson"/>).</summary>
    public string NumberTextColumn(string value) => $"CAST({value} AS {TextType})";

    /// <summary>Whether a number is finite, computed once per row in an inner projection.</summary>
    public abstract string NumberFinite(string value);

    /// <summary>The JSON (and text) of a number from its inner text and finiteness columns: trailing fractional zeros dropped, NULL when not finite.</summary>
    public string NumberJson(string text, string finite) => $"CASE WHEN {finite} THEN {TrimZeros(text)} END";

    protected static string TrimZeros(string text) =>
        $"CASE WHEN strpos({text}, '.') > 0 THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END";

    /// <summary>Statements that (re)create a per-run work table from a query; the table is not needed after the run.</summary>
    public abstract IReadOnlyList<string> CreateWorkTable(string table, string columns);

    /// <summary>An index or sort key that makes keyset reads of a work table by key cheap.</summary>
    public abstract string? KeyIndex(string table, string indexName);

    /// <summary><c>ATTACH</c>-style preamble for state kept outside the warehouse's own database (DuckDB in memory); empty otherwise.</summary>
    public virtual string Preamble(StateLocation location) => "";
}

internal sealed class DuckDbStateDialect : StateDialect
{
    public static readonly DuckDbStateDialect Instance = new();

    public override SqlDialectName Name => SqlDialectName.DuckDb;

    public override string KeyType => "VARCHAR";

    public override string HashType => "UHUGEINT";

    public override string TimestampType => "TIMESTAMP";

    protected override string TextType => "VARCHAR";

    // md5_number is the same 128-bit digest as md5() (docs/sync.md); stored as a number it is several times cheaper to
    // write and compare than 32 hex characters.
    public override string Hash(string text) => $"md5_number({text})";

    public override string JsonString(string text) => $"CAST(to_json({text}) AS VARCHAR)";

    protected override string JsonArray(string value) => $"CAST(to_json({value}) AS VARCHAR)";

    protected override string DateText(string value) => $"CAST(CAST({value} AS DATE) AS VARCHAR)";

    protected override string TimestampText(string value) => $"strftime(CAST({value} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%fZ')";

    protected override string NumberText(string value) => $"CASE WHEN {NumberFinite(value)} THEN {TrimZeros($"CAST({value} AS VARCHAR)")} END";

    public override string NumberFinite(string value) => $"isfinite(CAST({value} AS DOUBLE))";

    public override IReadOnlyList<string> CreateWorkTable(string table, string columns) => [$"CREATE OR REPLACE TABLE {table} ({columns})"];

    // DuckDB keeps min/max per row group: rows inserted in key order make `key > $last ORDER BY key LIMIT n` skip
    // everything already read, so no index is needed.
    public override string? KeyIndex(string table, string indexName) => null;

    public override string Preamble(StateLocation location) => location.DuckDbFile is { } file
        ? $"ATTACH IF NOT EXISTS '{file.Replace("'", "''", StringComparison.Ordinal)}' AS {location.Catalog}"
        : "";
}

internal sealed class PostgresStateDialect : StateDialect
{
    public static readonly PostgresStateDialect Instance = new();

    public override SqlDialectName Name => SqlDialectName.Postgres;

    // "C" collation: code-point order, the same as DuckDB's, and the cheapest comparison.
    public override string KeyType => "text COLLATE \"C\"";

    public override string HashType => "uuid";

    public override string TimestampType => "timestamp";

    protected override string TextType => "text";

    public override string Hash(string text) => $"CAST(md5({text}) AS uuid)";

    public override string JsonString(string text) => $"CAST(to_json(CAST({text} AS text)) AS text)";

    protected override string JsonArray(string value) => $"CAST(to_json({value}) AS text)";

    protected override string DateText(string value) => $"to_char(CAST({value} AS date), 'YYYY-MM-DD')";

    protected override string TimestampText(string value) => $"to_char(CAST({value} AS timestamp), 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    protected override string NumberText(string value) => $"CASE WHEN {NumberFinite(value)} THEN {TrimZeros($"CAST({value} AS text)")} END";

    public override string NumberFinite(string value) =>
        $"CAST({value} AS double precision) NOT IN ('Infinity'::float8, '-Infinity'::float8, 'NaN'::float8)";

    public override IReadOnlyList<string> CreateWorkTable(string table, string columns) =>
        [$"DROP TABLE IF EXISTS {table}", $"CREATE UNLOGGED TABLE {table} ({columns})"];

    public override string? KeyIndex(string table, string indexName) => $"CREATE INDEX IF NOT EXISTS {indexName} ON {table} (key)";
}
