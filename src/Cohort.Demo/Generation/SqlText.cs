using System.Globalization;
using System.Text;

namespace Cohort.Demo.Generation;

/// <summary>
/// Building blocks of the generator's SQL. Everything here is written once and runs unchanged on DuckDB and
/// PostgreSQL: integer arithmetic, IEEE double arithmetic (+ - * / sqrt floor, which both engines round
/// identically), string functions over ASCII, arrays indexed from 1. No text is ever ordered (collations
/// differ), no integer is divided with '/' (DuckDB returns a double), and floats only ever feed floor().
/// All literals come from the generator itself, never from a user.
/// </summary>
internal static class SqlText
{
    /// <summary>The modulus of the hash: the Mersenne prime 2^31 - 1. Random values lie in [0, P).</summary>
    public const long P = 2_147_483_647;

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Str(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Timestamp(DateTime utc) =>
        "TIMESTAMP '" + utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "'";

    /// <summary>An integer threshold T with <c>r &lt; T</c> true for a fraction <paramref name="p"/> of random values.</summary>
    public static long Threshold(double p) => (long)Math.Floor(Math.Clamp(p, 0, 1) * P);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static string Chance(string r, double p) => $"({r} < {Int(Threshold(p))})";

    /// <summary>A uniform integer in [0, n).</summary>
    public static string Below(string r, long n) => $"({r} % {Int(n)})";

    /// <summary>
    /// A double constant. Written as text and cast, so both engines parse it with a correctly rounded
    /// string-to-double conversion (a bare 0.5 would be a DECIMAL/NUMERIC and change the arithmetic's type).
    /// </summary>
    public static string Dbl(double value) => $"CAST('{value.ToString("R", CultureInfo.InvariantCulture)}' AS FLOAT8)";

    /// <summary>A uniform double in [0, 1).</summary>
    public static string Unit0(string r) => $"(CAST({r} AS FLOAT8) / 2147483647)";

    /// <summary>A uniform double in (0, 1].</summary>
    public static string Unit(string r) => $"((CAST({r} AS FLOAT8) + 1) / 2147483648)";

    /// <summary>The floor of a double expression as a BIGINT.</summary>
    public static string Floor(string doubleExpr) => $"CAST(floor({doubleExpr}) AS BIGINT)";

    /// <summary>One of <paramref name="values"/>, uniformly.</summary>
    public static string Pick(IReadOnlyList<string> values, string r) =>
        values.Count == 1 ? Str(values[0]) : $"({Array(values)})[1 + {Below(r, values.Count)}]";

    public static string Array(IEnumerable<string> values) => $"CAST(ARRAY[{string.Join(", ", values.Select(Str))}] AS VARCHAR[])";

    /// <summary>A weighted choice between SQL expressions (already SQL text), by cumulative integer thresholds.</summary>
    public static string WeightedSql(IReadOnlyList<(string Sql, double Weight)> choices, string r)
    {
        if (choices.Count == 1) return choices[0].Sql;
        var total = choices.Sum(c => c.Weight);
        var sb = new StringBuilder("(CASE");
        var cumulative = 0.0;
        for (var i = 0; i < choices.Count - 1; i++)
        {
            cumulative += choices[i].Weight;
            sb.Append(CultureInfo.InvariantCulture, $" WHEN {r} < {Int(Threshold(cumulative / total))} THEN {choices[i].Sql}");
        }
        sb.Append(CultureInfo.InvariantCulture, $" ELSE {choices[^1].Sql} END)");
        return sb.ToString();
    }

    /// <summary>A weighted choice between text values.</summary>
    public static string Weighted(IReadOnlyList<(string Value, double Weight)> choices, string r) =>
        WeightedSql([.. choices.Select(c => (Str(c.Value), c.Weight))], r);

    /// <summary>A weighted choice between integers.</summary>
    public static string WeightedInt(IReadOnlyList<(long Value, double Weight)> choices, string r) =>
        WeightedSql([.. choices.Select(c => (Int(c.Value), c.Weight))], r);

    /// <summary><c>CASE key WHEN k THEN v ... END</c> over integer keys.</summary>
    public static string Lookup<T>(string key, IEnumerable<(long Key, T Value)> map, Func<T, string> sql, string otherwise = "NULL") =>
        "(CASE " + key + string.Concat(map.Select(m => $" WHEN {Int(m.Key)} THEN {sql(m.Value)}")) + $" ELSE {otherwise} END)";

    /// <summary><c>CASE key WHEN 'k' THEN v ... END</c> over text keys.</summary>
    public static string LookupText(string key, IEnumerable<(string Key, string Sql)> map, string otherwise = "NULL") =>
        "(CASE " + key + string.Concat(map.Select(m => $" WHEN {Str(m.Key)} THEN {m.Sql}")) + $" ELSE {otherwise} END)";

    /// <summary>A decimal with two places from an integer number of cents.</summary>
    public static string Money(string cents) => $"CAST({cents} * 0.01 AS DECIMAL(12, 2))";

    /// <summary><c>anchor - seconds</c>, a TIMESTAMP.</summary>
    public static string Ago(string anchor, string seconds) => $"({anchor} - CAST({seconds} AS BIGINT) * INTERVAL '1 second')";

    /// <summary><c>anchor + seconds</c>, a TIMESTAMP.</summary>
    public static string Ahead(string anchor, string seconds) => $"({anchor} + CAST({seconds} AS BIGINT) * INTERVAL '1 second')";

    /// <summary>Zero-padded decimal digits of a non-negative integer.</summary>
    public static string Digits(string value, int width) => $"lpad(CAST({value} AS VARCHAR), {width}, '0')";
}
