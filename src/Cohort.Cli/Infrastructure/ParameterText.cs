using System.Globalization;
using Cohort.Core.Projects;
using Cohort.Sql;

namespace Cohort.Cli.Infrastructure;

/// <summary>Readable renderings of bound parameters (never spliced into SQL; only shown beside it).</summary>
public static class ParameterText
{
    public static string Format(SqlParameter p) => p.Value switch
    {
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime t => Instant(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    public static SqlDialectName Dialect(this WarehouseConfig config) => config switch
    {
        WarehouseConfig.Postgres => SqlDialectName.Postgres,
        _ => SqlDialectName.DuckDb,
    };
}
