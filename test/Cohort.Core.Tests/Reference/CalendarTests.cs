using Cohort.Core.Audiences;
using Cohort.Testing.Reference;
using static Cohort.Testing.Ast;

namespace Cohort.Core.Tests.Reference;

public sealed class CalendarTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    [Theory]
    [InlineData("UTC", "2026-03-10", "2026-03-10T00:00:00Z")]
    [InlineData("Asia/Kolkata", "2026-03-10", "2026-03-09T18:30:00Z")]
    [InlineData("Pacific/Chatham", "2026-03-14", "2026-03-13T10:15:00Z")]
    [InlineData("Australia/Lord_Howe", "2026-03-15", "2026-03-14T13:00:00Z")]
    [InlineData("Australia/Lord_Howe", "2026-04-06", "2026-04-05T13:30:00Z")] // first day after the half-hour fall-back
    [InlineData("America/New_York", "2026-03-08", "2026-03-08T05:00:00Z")]    // DST starts at 02:00, midnight is ordinary
    [InlineData("America/New_York", "2026-11-01", "2026-11-01T04:00:00Z")]    // DST ends at 02:00, midnight still EDT
    [InlineData("Europe/London", "2026-03-29", "2026-03-29T00:00:00Z")]
    [InlineData("Europe/London", "2026-03-30", "2026-03-29T23:00:00Z")]
    public void Start_of_day_is_local_midnight_on_ordinary_days(string zone, string day, string expected) =>
        Assert.Equal(Utc(expected), Calendar.StartOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Zone(zone)));

    [Theory]
    [InlineData("America/Santiago", "2024-09-08", "2024-09-08T04:00:00Z")] // 00:00 -> 01:00, so the day starts at 01:00 -03
    [InlineData("America/Havana", "2024-03-10", "2024-03-10T05:00:00Z")]   // 00:00 -> 01:00, so the day starts at 01:00 CDT
    [InlineData("Asia/Beirut", "2024-03-31", "2024-03-30T22:00:00Z")]      // 00:00 -> 01:00, so the day starts at 01:00 +03
    public void Start_of_day_after_a_skipped_midnight_is_the_first_instant_after_the_gap(string zone, string day, string expected) =>
        Assert.Equal(Utc(expected), Calendar.StartOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Zone(zone)));

    [Fact]
    public void Start_of_day_after_a_fall_back_at_midnight_is_the_first_local_midnight()
    {
        // Chile ends DST at 24:00 on 2024-04-06: 03:00Z becomes 23:00 on the 6th again, so the 7th starts at 04:00Z.
        Assert.Equal(Utc("2024-04-07T04:00:00Z"), Calendar.StartOf(new DateOnly(2024, 4, 7), Zone("America/Santiago")));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Europe/London")]
    [InlineData("America/Santiago")]
    [InlineData("America/Havana")]
    public void Start_of_day_is_the_first_instant_with_that_local_date(string id)
    {
        var zone = Zone(id);
        for (var day = new DateOnly(2024, 1, 1); day <= new DateOnly(2028, 12, 31); day = day.AddDays(1))
        {
            var start = Calendar.StartOf(day, zone);
            Assert.Equal(day, Calendar.LocalDate(start, zone));
            Assert.True(Calendar.LocalDate(start.AddTicks(-10), zone) < day, $"{id} {day}: a microsecond earlier is already {day}");
        }
    }

    [Fact]
    public void Start_of_a_day_that_never_happens_throws()
    {
        // Samoa skipped 2011-12-30 when it crossed the date line.
        Assert.Throws<InvalidOperationException>(() => Calendar.StartOf(new DateOnly(2011, 12, 30), Zone("Pacific/Apia")));
    }

    [Theory]
    [InlineData("2026-03-31", 1, TimeUnit.Month, "2026-02-28")]
    [InlineData("2024-03-31", 1, TimeUnit.Month, "2024-02-29")]
    [InlineData("2026-05-31", 1, TimeUnit.Month, "2026-04-30")]
    [InlineData("2024-02-29", 1, TimeUnit.Year, "2023-02-28")]
    [InlineData("2028-02-29", 4, TimeUnit.Year, "2024-02-29")]
    [InlineData("2026-03-15", 2, TimeUnit.Week, "2026-03-01")]
    [InlineData("2026-01-01", 1, TimeUnit.Day, "2025-12-31")]
    public void Date_minus_units_clamps_to_the_end_of_the_month(string from, long amount, TimeUnit unit, string expected)
    {
        var date = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Calendar.Add(date, new Duration(amount, unit), -1));
    }

    [Fact]
    public void Date_plus_a_month_clamps_too() =>
        Assert.Equal(new DateOnly(2026, 2, 28), Calendar.Add(new DateOnly(2026, 1, 31), Months(1), +1));

    [Fact]
    public void Dates_cannot_move_by_hours() =>
        Assert.Throws<InvalidOperationException>(() => Calendar.Add(new DateOnly(2026, 1, 31), Hours(24), -1));

    [Theory]
    [InlineData("2026-03-31T10:00:00.123456Z", 1, TimeUnit.Month, "2026-02-28T10:00:00.123456Z")]
    [InlineData("2028-02-29T00:00:00Z", 1, TimeUnit.Year, "2027-02-28T00:00:00Z")]
    [InlineData("2026-03-29T12:00:00Z", 1, TimeUnit.Day, "2026-03-28T12:00:00Z")] // a day is 24 hours, whatever the zone does
    [InlineData("2026-03-15T12:00:00Z", 90, TimeUnit.Second, "2026-03-15T11:58:30Z")]
    [InlineData("2026-03-15T12:00:00Z", 1, TimeUnit.Week, "2026-03-08T12:00:00Z")]
    public void Instant_minus_units(string from, long amount, TimeUnit unit, string expected) =>
        Assert.Equal(Utc(expected), Calendar.Add(Utc(from), new Duration(amount, unit), -1));

    [Theory]
    [InlineData("2027-02-28", true)]  // no 29 February in 2027
    [InlineData("2027-03-01", false)]
    [InlineData("2028-02-28", false)] // 2028 has a 29 February
    [InlineData("2028-02-29", true)]
    [InlineData("2100-02-28", true)]  // 2100 is not a leap year
    public void A_leap_day_anniversary_falls_on_28_February_in_common_years(string day, bool expected) =>
        Assert.Equal(expected, Calendar.IsAnniversary(new DateOnly(2000, 2, 29), DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_28_February_anniversary_is_only_28_February()
    {
        Assert.True(Calendar.IsAnniversary(new DateOnly(2001, 2, 28), new DateOnly(2028, 2, 28)));
        Assert.False(Calendar.IsAnniversary(new DateOnly(2001, 2, 28), new DateOnly(2028, 2, 29)));
    }

    [Theory]
    [InlineData("2027-02-27", 1, true)]  // reaches 2027-02-28
    [InlineData("2028-02-27", 1, false)] // 2028-02-28 is not the anniversary in a leap year
    [InlineData("2028-02-27", 2, true)]
    [InlineData("2028-03-01", 363, false)] // 2028-03-01 + 363 = 2029-02-27
    [InlineData("2028-03-01", 364, true)]  // 2029-02-28, a common year
    public void Anniversary_within_next_for_a_leap_day_value(string today, long days, bool expected) =>
        Assert.Equal(expected, Calendar.AnniversaryWithinNext(new DateOnly(2000, 2, 29), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), Days(days)));

    [Fact]
    public void The_365_day_shortcut_agrees_with_the_loop_over_k()
    {
        // The spec says N ≥ 365 days matches every value; check that the k = 0..N definition agrees for N = 365.
        foreach (var today in new[] { new DateOnly(2027, 3, 1), new DateOnly(2028, 2, 29), new DateOnly(2027, 12, 31), new DateOnly(2028, 3, 1) })
        {
            for (var value = new DateOnly(2000, 1, 1); value <= new DateOnly(2000, 12, 31); value = value.AddDays(1))
            {
                var v = value;
                Assert.True(Enumerable.Range(0, 366).Any(k => Calendar.IsAnniversary(v, today.AddDays(k))), $"{v} from {today}");
            }
        }
        Assert.True(Calendar.AnniversaryWithinNext(new DateOnly(2000, 7, 1), new DateOnly(2026, 7, 2), Days(365)));
        Assert.False(Calendar.AnniversaryWithinNext(new DateOnly(2000, 7, 1), new DateOnly(2026, 7, 2), Days(363)));
    }

    [Fact]
    public void Anniversary_takes_weeks_but_not_months() =>
        Assert.Throws<InvalidOperationException>(() => Calendar.AnniversaryWithinNext(new DateOnly(2000, 7, 1), new DateOnly(2026, 7, 2), Months(1)));
}
