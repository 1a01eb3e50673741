using System.Globalization;
using System.Text.RegularExpressions;
using Cohort.Core.Audiences;
using Cohort.Sql;
using Cohort.Sql.Compile;

namespace Cohort.Bench.Audiences;

/// <summary>
/// Fills the hand-written baseline queries: instants relative to asOf as literals (the baseline is our own SQL, not
/// user input), and the few spellings that differ between DuckDB and PostgreSQL.
/// </summary>
internal sealed partial class Placeholders(DateTime asOfUtc, IReadOnlyDictionary<string, string> days, SqlDialectName dialect)
{
    public string Fill(string sql) => Pattern().Replace(sql, m => Expand(m.Groups["name"].Value, m.Groups["arg"].Value));

    private string Expand(string name, string arg) => name switch
    {
        "as_of" => Timestamp(asOfUtc),
        "ago" => Timestamp(TimeMath.Subtract(asOfUtc, ParseDuration(arg))),
        "ahead" => Timestamp(TimeMath.Add(asOfUtc, ParseDuration(arg))),
        "day" => Timestamp(Day(arg).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
        "array_has" => ArrayHas(arg),
        "month_day" => dialect == SqlDialectName.DuckDb ? $"strftime({arg}, '%m-%d')" : $"to_char({arg}, 'MM-DD')",
        "month_days_ahead" => MonthDaysAhead(int.Parse(arg, CultureInfo.InvariantCulture)),
        "iso_dow" => dialect == SqlDialectName.DuckDb ? $"isodow({arg})" : $"extract(isodow FROM {arg})",
        "binary_collation" => dialect == SqlDialectName.DuckDb ? "" : "COLLATE \"C\"",
        _ => throw new InvalidOperationException($"Unknown placeholder {{{{{name}}}}}."),
    };

    private string ArrayHas(string arg)
    {
        var (array, value) = Split(arg);
        return dialect == SqlDialectName.DuckDb ? $"list_contains({array}, {value})" : $"({value} = ANY({array}))";
    }

    private DateOnly Day(string arg)
    {
        var plus = arg.IndexOf('+', StringComparison.Ordinal);
        var key = plus < 0 ? arg : arg[..plus];
        var date = DateOnly.ParseExact(days[key], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return plus < 0 ? date : date.AddDays(int.Parse(arg[(plus + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>'MM-DD' of today .. today + n, with 02-29 when 28 February is in a common year's range.</summary>
    private string MonthDaysAhead(int n)
    {
        var today = DateOnly.FromDateTime(asOfUtc);
        var days = new List<string>();
        for (var k = 0; k <= n; k++)
        {
            var d = today.AddDays(k);
            days.Add($"'{d:MM-dd}'");
            if (d is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(d.Year)) days.Add("'02-29'");
        }
        return string.Join(", ", days);
    }

    private static (string Left, string Right) Split(string arg)
    {
        var colon = arg.LastIndexOf(':');
        return (arg[..colon], arg[(colon + 1)..]);
    }

    private static Duration ParseDuration(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unit = parts[1].TrimEnd('s') switch
        {
            "minute" => TimeUnit.Minute,
            "hour" => TimeUnit.Hour,
            "day" => TimeUnit.Day,
            "week" => TimeUnit.Week,
            "month" => TimeUnit.Month,
            "year" => TimeUnit.Year,
            var u => throw new InvalidOperationException($"Unknown unit {u}."),
        };
        return new Duration(long.Parse(parts[0], CultureInfo.InvariantCulture), unit);
    }

    private static string Timestamp(DateTime t) => $"TIMESTAMP '{t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'";

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)(:(?<arg>[^}]*))?\}\}")]
    private static partial Regex Pattern();
}
