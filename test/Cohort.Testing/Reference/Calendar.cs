using System.Collections.Concurrent;
using Cohort.Core.Audiences;
using Cohort.Core.Time;

namespace Cohort.Testing.Reference;

/// <summary>
/// The derived values of docs/semantics.md section 1 (today, start(D), A ± N units) and the anniversary rule,
/// each written as directly from its definition as possible.
/// </summary>
public static class Calendar
{
    private static readonly ConcurrentDictionary<(string Zone, DateOnly Day), DateTime> StartCache = new();

    /// <summary>The calendar date of the instant <paramref name="utc"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(Values.RequireUtc(utc), zone));

    /// <summary>today = the calendar date of asOf in the evaluation time zone.</summary>
    public static DateOnly Today(EvaluationContext ctx) => LocalDate(ctx.AsOfUtc, ctx.TimeZone);

    /// <summary>
    /// start(D): the first instant whose local date in <paramref name="zone"/> is <paramref name="day"/>.
    /// Found by search rather than by asking the zone for local midnight, so a skipped midnight (DST gap) or a
    /// repeated one needs no special case: scan minute by minute from a point certainly on an earlier local date,
    /// then narrow the one minute in which the date becomes D down to the microsecond.
    /// </summary>
    public static DateTime StartOf(DateOnly day, TimeZoneInfo zone) =>
        StartCache.GetOrAdd((zone.Id, day), key => SearchStart(key.Day, zone));

    private static DateTime SearchStart(DateOnly day, TimeZoneInfo zone)
    {
        // UTC offsets lie within -12h..+14h, so one day before D's midnight-as-UTC is on an earlier local date,
        // and D has begun everywhere one day after it.
        var utcMidnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var minute = utcMidnight.AddDays(-1);
        if (LocalDate(minute, zone) >= day)
            throw new InvalidOperationException($"Zone {zone.Id} is more than a day ahead of UTC on {day}.");
        var end = utcMidnight.AddDays(2);
        while (minute < end)
        {
            var next = minute.AddMinutes(1);
            var date = LocalDate(next, zone);
            if (date == day) return FirstInstantOnDay(minute, next, day, zone);
            if (date > day)
                throw new InvalidOperationException($"Local date {day} never occurs in zone {zone.Id}.");
            minute = next;
        }
        throw new InvalidOperationException($"Local date {day} was not reached in zone {zone.Id}.");
    }

    /// <summary>The smallest microsecond t in (before, onDay] whose local date is <paramref name="day"/>.</summary>
    private static DateTime FirstInstantOnDay(DateTime before, DateTime onDay, DateOnly day, TimeZoneInfo zone)
    {
        const long TicksPerMicrosecond = 10;
        var lo = before.Ticks / TicksPerMicrosecond; // local date before D
        var hi = onDay.Ticks / TicksPerMicrosecond;  // local date D
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (LocalDate(new DateTime(mid * TicksPerMicrosecond, DateTimeKind.Utc), zone) == day) hi = mid;
            else lo = mid;
        }
        return new DateTime(hi * TicksPerMicrosecond, DateTimeKind.Utc);
    }

    /// <summary>
    /// An instant moved by N units: seconds to weeks as exact durations on the UTC timeline (a day is 24 hours);
    /// months and years as calendar steps on the UTC date-time, clamped to the end of the month.
    /// </summary>
    public static DateTime Add(DateTime instant, Duration duration, int sign)
    {
        Values.RequireUtc(instant);
        var n = checked((int)(sign * duration.Amount));
        return duration.Unit switch
        {
            TimeUnit.Second => instant.AddSeconds(n),
            TimeUnit.Minute => instant.AddMinutes(n),
            TimeUnit.Hour => instant.AddHours(n),
            TimeUnit.Day => instant.AddDays(n),
            TimeUnit.Week => instant.AddDays(7 * n),
            TimeUnit.Month => instant.AddMonths(n), // DateTime.AddMonths clamps 31 March - 1 month to 28/29 February
            TimeUnit.Year => instant.AddYears(n),   // and 29 February + 1 year to 28 February
            _ => throw new InvalidOperationException($"Unknown unit {duration.Unit}."),
        };
    }

    /// <summary>A date moved by N days, weeks, months or years (months clamped to the end of the month).</summary>
    public static DateOnly Add(DateOnly date, Duration duration, int sign)
    {
        var n = checked((int)(sign * duration.Amount));
        return duration.Unit switch
        {
            TimeUnit.Day => date.AddDays(n),
            TimeUnit.Week => date.AddDays(7 * n),
            TimeUnit.Month => date.AddMonths(n),
            TimeUnit.Year => date.AddYears(n),
            _ => throw new InvalidOperationException($"A date column cannot be moved by {duration.Unit} (COH322)."),
        };
    }

    /// <summary>
    /// anniversary_within_next: true when for some k in 0..N the month and day of today + k equal the value's
    /// (year ignored; a 29 February anniversary falls on 28 February in years without one).
    /// N of 365 days or more matches every value, as the spec says outright.
    /// </summary>
    public static bool AnniversaryWithinNext(DateOnly value, DateOnly today, Duration duration)
    {
        var days = duration.Unit switch
        {
            TimeUnit.Day => duration.Amount,
            TimeUnit.Week => 7 * duration.Amount,
            _ => throw new InvalidOperationException($"anniversary_within_next takes days or weeks, not {duration.Unit}."),
        };
        if (days >= 365) return true;
        for (var k = 0; k <= days; k++)
        {
            if (IsAnniversary(value, today.AddDays(k))) return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="day"/> is an anniversary of <paramref name="value"/>.</summary>
    public static bool IsAnniversary(DateOnly value, DateOnly day)
    {
        if (day.Month == value.Month && day.Day == value.Day) return true;
        var leapDay = value.Month == 2 && value.Day == 29;
        return leapDay && !DateTime.IsLeapYear(day.Year) && day.Month == 2 && day.Day == 28;
    }
}
