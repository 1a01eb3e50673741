using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Calendar operators and date literals in a time zone: start(D) is the first instant whose local date is D.
public static partial class OperatorExamples
{
    private static IEnumerable<OperatorExample> Zones() =>
    [
        Ex("zone_new_york_before_date", "New York is UTC-5 on 2026-03-01, so start(03-01) = 05:00Z; 03:00Z is still 28 February locally.",
            SignupTimes("2026-03-01T04:59:59.999999Z", "2026-03-01T05:00:00Z", "2026-03-01T03:00:00Z"),
            Prop("signup_at", Before, Date(2026, 3, 1)), 1, 3) with { TimeZoneId = "America/New_York" },
        Ex("zone_kolkata_on_date", "Kolkata is UTC+5:30: on 2026-03-10 is [03-09T18:30Z, 03-10T18:30Z).",
            SignupTimes("2026-03-09T18:30:00Z", "2026-03-09T18:29:59.999999Z", "2026-03-10T18:29:59.999999Z", "2026-03-10T18:30:00Z"),
            Prop("signup_at", On, Date(2026, 3, 10)), 1, 3) with { TimeZoneId = "Asia/Kolkata" },
        Ex("zone_santiago_midnight_skipped", "Chile skips 2024-09-08 00:00-01:00, so start(09-08) = the first instant after the gap, 04:00Z (01:00 -03); start(09-09) = 03:00Z.",
            SignupTimes("2024-09-08T03:59:59.999999Z", "2024-09-08T04:00:00Z", "2024-09-09T02:59:59.999999Z", "2024-09-09T03:00:00Z"),
            Prop("signup_at", On, Date(2024, 9, 8)), 2, 3) with { TimeZoneId = "America/Santiago", AsOfUtc = Utc("2024-09-15T00:00:00Z") },
        Ex("zone_havana_after_date_before_skipped_midnight", "Cuba skips 2024-03-10 00:00-01:00: after 03-09 means v ≥ start(03-10) = 05:00Z.",
            SignupTimes("2024-03-10T04:59:59.999999Z", "2024-03-10T05:00:00Z"),
            Prop("signup_at", After, Date(2024, 3, 9)), 2) with { TimeZoneId = "America/Havana", AsOfUtc = Utc("2024-03-20T00:00:00Z") },
        Ex("zone_chatham_day_of_week", "Chatham is UTC+13:45 in March: Saturday 2026-03-14 is [03-13T10:15Z, 03-14T10:15Z).",
            SignupTimes("2026-03-13T10:15:00Z", "2026-03-13T10:14:59.999999Z", "2026-03-14T10:14:59.999999Z", "2026-03-14T10:15:00Z"),
            Prop("signup_at", OnDays(System.DayOfWeek.Saturday)), 1, 3) with { TimeZoneId = "Pacific/Chatham" },
        Ex("zone_lord_howe_on_date", "Lord Howe is UTC+11 in March: on 2026-03-15 is [03-14T13:00Z, 03-15T13:00Z).",
            SignupTimes("2026-03-14T13:00:00Z", "2026-03-14T12:59:59.999999Z", "2026-03-15T12:59:59.999999Z", "2026-03-15T13:00:00Z"),
            Prop("signup_at", On, Date(2026, 3, 15)), 1, 3) with { TimeZoneId = "Australia/Lord_Howe" },
        Ex("zone_lord_howe_half_hour_fall_back", "On 2026-04-05 Lord Howe goes from +11 to +10:30, so that day is 24.5 hours: [04-04T13:00Z, 04-05T13:30Z).",
            SignupTimes("2026-04-04T13:00:00Z", "2026-04-04T12:59:59.999999Z", "2026-04-05T13:29:59.999999Z", "2026-04-05T13:30:00Z"),
            Prop("signup_at", On, Date(2026, 4, 5)), 1, 3) with { TimeZoneId = "Australia/Lord_Howe", AsOfUtc = Utc("2026-04-10T00:00:00Z") },
        Ex("zone_london_days_are_24_hours", "Durations ignore the zone: across the 2026-03-29 clock change, A - 1 day is still exactly 24 hours earlier.",
            SignupTimes("2026-03-28T12:00:00Z", "2026-03-28T11:59:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Days(1))), 1) with { TimeZoneId = "Europe/London", AsOfUtc = Utc("2026-03-29T12:00:00Z") },
        Ex("zone_london_on_date_in_summer_time", "London is UTC+1 on 2026-04-01: start(04-01) = 03-31T23:00Z.",
            SignupTimes("2026-03-31T23:00:00Z", "2026-03-31T22:59:59.999999Z"),
            Prop("signup_at", On, Date(2026, 4, 1)), 1) with { TimeZoneId = "Europe/London", AsOfUtc = Utc("2026-04-10T00:00:00Z") },
        Ex("zone_today_is_local_date_of_asof_ahead", "asOf 2026-03-15T12:00Z is 03-16 01:45 in Chatham, so today = 03-16.",
            Birthdays(new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 15)),
            Prop("birthday", Relative(WithinLast, Days(0))), 1) with { TimeZoneId = "Pacific/Chatham" },
        Ex("zone_today_is_local_date_of_asof_behind", "asOf 2026-03-15T03:00Z is 03-14 23:00 in New York, so today = 03-14.",
            Birthdays(new DateOnly(2026, 3, 14), new DateOnly(2026, 3, 15)),
            Prop("birthday", Relative(WithinLast, Days(0))), 1) with { TimeZoneId = "America/New_York", AsOfUtc = Utc("2026-03-15T03:00:00Z") },
        Ex("zone_kolkata_anniversary_of_local_date", "In Kolkata 2020-03-14T18:30Z is already 2020-03-15 locally: an anniversary today (N = 0).",
            SignupTimes("2020-03-14T18:30:00Z", "2020-03-14T18:29:59.999999Z"),
            Prop("signup_at", Relative(AnniversaryWithinNext, Days(0))), 1) with { TimeZoneId = "Asia/Kolkata" },
    ];
}
