using System.Globalization;

namespace Cohort.Demo.Generation;

/// <summary>
/// The shape of activity over time, computed in C# and loaded as a small table: for each day before the anchor
/// (day 0 is the anchor's own date), a weight in 0..10000 combining the season and the day of the week, and for
/// each Tuesday the name of the weekly newsletter sent that day. Sessions are drawn uniformly over a
/// customer's active days and kept with probability weight / 10000, so busy days get more of them.
/// </summary>
internal static class DemoCalendar
{
    /// <summary>Days of history: three years.</summary>
    public const int HistoryDays = 1096;

    /// <summary>Rows of the calendar table (a little more than the history, for e-mail sends).</summary>
    public const int Days = HistoryDays + 14;

    /// <summary>Relative traffic by hour of day (UTC), midnight first.</summary>
    public static readonly double[] HourWeights =
        [1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.0, 3.5, 4.0, 4.2, 4.5, 4.2, 4.0, 4.0, 4.2, 4.8, 5.5, 6.5, 7.0, 6.5, 4.5, 2.5];

    private static readonly double[] MonthFactor = [0.55, 0.55, 0.6, 0.62, 0.64, 0.6, 0.58, 0.58, 0.62, 0.66, 0.75, 0.82];

    public static DateOnly DateOf(DateTime anchorUtc, int dayAgo) => DateOnly.FromDateTime(anchorUtc).AddDays(-dayAgo);

    /// <summary>Black Friday: the day after the fourth Thursday of November.</summary>
    public static DateOnly BlackFriday(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(21 + 1);
    }

    /// <summary>The most recent Black Friday whose Cyber Monday (three days later) lies before the anchor's date.</summary>
    public static DateOnly LastBlackFriday(DateTime anchorUtc)
    {
        var today = DateOnly.FromDateTime(anchorUtc);
        var friday = BlackFriday(today.Year);
        return friday.AddDays(3) < today ? friday : BlackFriday(today.Year - 1);
    }

    /// <summary>Season x weekday, in 0..10000.</summary>
    public static int Weight(DateOnly date)
    {
        var season = MonthFactor[date.Month - 1];
        var friday = BlackFriday(date.Year);
        if (date >= friday.AddDays(-1) && date <= friday.AddDays(3)) season = 1.0;       // Thanksgiving to Cyber Monday
        else if (date.Month == 12 && date.Day <= 20) season = 0.86;                          // Christmas shopping
        else if (date.Month == 12 && date.Day is >= 24 and <= 26) season = 0.45;
        var weekday = date.DayOfWeek switch
        {
            DayOfWeek.Saturday or DayOfWeek.Sunday => 1.0,
            DayOfWeek.Friday => 0.93,
            DayOfWeek.Monday => 0.9,
            _ => 0.87,
        };
        return (int)Math.Round(season * weekday * 10_000);
    }

    /// <summary>The newsletter sent on a date: weekly on Tuesdays, plus the Black Friday launch.</summary>
    public static string? Campaign(DateOnly date)
    {
        if (date == BlackFriday(date.Year)) return "black-friday-" + date.Year.ToString(CultureInfo.InvariantCulture);
        return date.DayOfWeek == DayOfWeek.Tuesday ? "weekly-" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Rows for the calendar table: day_ago, weight, day_of_week (0 = Sunday), campaign.</summary>
    public static IEnumerable<object?[]> Rows(DateTime anchorUtc)
    {
        for (var day = 0; day < Days; day++)
        {
            var date = DateOf(anchorUtc, day);
            yield return [(long)day, (long)Weight(date), (long)(int)date.DayOfWeek, Campaign(date)];
        }
    }
}
