using Cohort.Core.Audiences;
using Cohort.Core.Time;

namespace Cohort.Sql.Compile;

/// <summary>
/// The calendar arithmetic behind the temporal operators (docs/semantics.md section 1), done once in C# so every
/// dialect receives plain instants and dates as parameters.
/// </summary>
public static class TimeMath
{
    private static readonly DateTime MinInstant = new(1, 1, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime MaxInstant = new(9999, 12, 30, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The calendar date of asOf in the evaluation time zone.</summary>
    public static DateOnly Today(EvaluationContext ctx) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(ctx.AsOfUtc, ctx.TimeZone));

    /// <summary>The first instant whose local date in <paramref name="zone"/> is <paramref name="date"/>.</summary>
    public static DateTime StartOfLocalDay(DateOnly date, TimeZoneInfo zone)
    {
        if (date <= DateOnly.MinValue.AddDays(1)) return MinInstant;
        if (date >= DateOnly.MaxValue.AddDays(-1)) return MaxInstant;
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Midnight can fall in a DST gap: the day then starts when the clocks jump, the first valid local minute.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        if (zone.IsAmbiguousTime(local))
        {
            // Midnight happens twice: the day starts at the first one, which has the larger UTC offset.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static DateTime Subtract(DateTime instant, Duration duration) => Shift(instant, duration, -1);

    public static DateTime Add(DateTime instant, Duration duration) => Shift(instant, duration, +1);

    public static DateOnly Subtract(DateOnly date, Duration duration) => Shift(date, duration, -1);

    public static DateOnly Add(DateOnly date, Duration duration) => Shift(date, duration, +1);

    private static DateTime Shift(DateTime instant, Duration d, int sign)
    {
        try
        {
            var shifted = d.Unit switch
            {
                TimeUnit.Month => instant.AddMonths(checked((int)(sign * d.Amount))),
                TimeUnit.Year => instant.AddYears(checked((int)(sign * d.Amount))),
                _ => instant.Add(sign * d.ToTimeSpan()),
            };
            return shifted < MinInstant ? MinInstant : shifted > MaxInstant ? MaxInstant : shifted;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return sign < 0 ? MinInstant : MaxInstant;
        }
    }

    private static DateOnly Shift(DateOnly date, Duration d, int sign)
    {
        try
        {
            return d.Unit switch
            {
                TimeUnit.Day => date.AddDays(checked((int)(sign * d.Amount))),
                TimeUnit.Week => date.AddDays(checked((int)(sign * 7 * d.Amount))),
                TimeUnit.Month => date.AddMonths(checked((int)(sign * d.Amount))),
                TimeUnit.Year => date.AddYears(checked((int)(sign * d.Amount))),
                _ => throw new InvalidOperationException($"A date cannot move by {d.Unit}."),
            };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return sign < 0 ? DateOnly.MinValue : DateOnly.MaxValue;
        }
    }

    /// <summary>
    /// The month-day codes (month * 100 + day) whose anniversary falls within today .. today + days, as inclusive
    /// ranges; null when every date qualifies. 29 February counts on 28 February in years without it.
    /// </summary>
    public static IReadOnlyList<(int Low, int High)>? AnniversaryRanges(DateOnly today, long days)
    {
        if (days >= 365) return null;
        var end = today.AddDays((int)days);
        var ranges = new List<(int, int)>();
        if (end.Year == today.Year)
        {
            ranges.Add(Segment(today, end));
        }
        else
        {
            ranges.Add(Segment(today, new DateOnly(today.Year, 12, 31)));
            ranges.Add(Segment(new DateOnly(end.Year, 1, 1), end));
        }
        return ranges;

        static (int, int) Segment(DateOnly from, DateOnly to)
        {
            var high = MonthDay(to);
            if (high == 228 && !DateTime.IsLeapYear(to.Year)) high = 229;
            return (MonthDay(from), high);
        }
    }

    public static int MonthDay(DateOnly date) => date.Month * 100 + date.Day;

    public static long Microseconds(Duration d) => d.ToTimeSpan().Ticks / 10;

    private static readonly HashSet<string> UtcIds = new(StringComparer.OrdinalIgnoreCase)
    {
        "UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "Etc/GMT", "GMT", "Etc/GMT0", "GMT0", "Etc/Greenwich", "Greenwich",
    };

    /// <summary>Whether <paramref name="zone"/> is UTC under another name (never an offset-zero zone with a history of changes).</summary>
    public static bool IsUtc(TimeZoneInfo zone) => UtcIds.Contains(zone.Id) || zone == TimeZoneInfo.Utc;
}
