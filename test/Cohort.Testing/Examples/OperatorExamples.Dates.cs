using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    // asOf 2026-03-15T12:00Z in UTC, so today = 2026-03-15 (a Sunday).
    // birthday: 1 today, 2 today-7 (03-08), 3 today-8 (03-07), 4 NULL, 5 today+7 (03-22),
    //           6 today-1 month = today-28 days (02-15), 7 02-14, 8 today+8 (03-23)
    private static readonly ReferenceDataset DatePeople = People(
        Person(1, ("birthday", new DateOnly(2026, 3, 15))),
        Person(2, ("birthday", new DateOnly(2026, 3, 8))),
        Person(3, ("birthday", new DateOnly(2026, 3, 7))),
        Person(4),
        Person(5, ("birthday", new DateOnly(2026, 3, 22))),
        Person(6, ("birthday", new DateOnly(2026, 2, 15))),
        Person(7, ("birthday", new DateOnly(2026, 2, 14))),
        Person(8, ("birthday", new DateOnly(2026, 3, 23))));

    private static ReferenceDataset Birthdays(params DateOnly?[] days) =>
        People([.. days.Select((d, i) => Person(i + 1, ("birthday", d)))]);

    private static IEnumerable<OperatorExample> Dates() =>
    [
        Ex("date_before", "v < 03-08: 03-07, 02-15, 02-14.", DatePeople, Prop("birthday", Before, Date(2026, 3, 8)), 3, 6, 7),
        Ex("date_after", "v > 03-08: 03-15, 03-22, 03-23.", DatePeople, Prop("birthday", After, Date(2026, 3, 8)), 1, 5, 8),
        Ex("date_on", "v = 03-08.", DatePeople, Prop("birthday", On, Date(2026, 3, 8)), 2),
        Ex("date_equals", "equals on a date is on.", DatePeople, Prop("birthday", Eq, Date(2026, 3, 8)), 2),
        Ex("date_not_equals", "Complement of equals 03-08, NULL included.", DatePeople, Prop("birthday", NotEquals, Date(2026, 3, 8)), 1, 3, 4, 5, 6, 7, 8),
        Ex("date_between_inclusive", "03-08 ≤ v ≤ 03-15 includes both ends.", DatePeople, Prop("birthday", Range(Between, Date(2026, 3, 8), Date(2026, 3, 15))), 1, 2),
        Ex("date_within_last_days", "today-7 = 03-08 ≤ v ≤ today: 03-15 and 03-08 (edge); 03-07 is one day beyond; 03-22 is future.",
            DatePeople, Prop("birthday", Relative(WithinLast, Days(7))), 1, 2),
        Ex("date_within_last_weeks", "1 week = 7 days: same as within_last 7 days.", DatePeople, Prop("birthday", Relative(WithinLast, Weeks(1))), 1, 2),
        Ex("date_more_than_ago_days", "v < today-7 = 03-08: the other half of the past.", DatePeople, Prop("birthday", Relative(MoreThanAgo, Days(7))), 3, 6, 7),
        Ex("date_between_ago_days", "today-28 = 02-15 ≤ v ≤ today-7 = 03-08: 03-08, 03-07, 02-15 (02-14 is a day beyond).",
            DatePeople, Prop("birthday", Ago(Days(7), Days(28))), 2, 3, 6),
        Ex("date_within_last_month", "today - 1 month = 02-15 ≤ v ≤ 03-15.", DatePeople, Prop("birthday", Relative(WithinLast, Months(1))), 1, 2, 3, 6),
        Ex("date_more_than_ago_month", "v < 02-15: only 02-14.", DatePeople, Prop("birthday", Relative(MoreThanAgo, Months(1))), 7),
        Ex("date_between_ago_months", "today-2 months = 01-15 ≤ v ≤ today-1 month = 02-15.", DatePeople, Prop("birthday", Ago(Months(1), Months(2))), 6, 7),
        Ex("date_within_next_days", "today ≤ v ≤ today+7 = 03-22: 03-15, 03-22 (edge); 03-23 is beyond.", DatePeople, Prop("birthday", Relative(WithinNext, Days(7))), 1, 5),
        Ex("date_within_next_week", "1 week = 7 days.", DatePeople, Prop("birthday", Relative(WithinNext, Weeks(1))), 1, 5),
        Ex("date_within_last_year", "today-1 year = 2025-03-15 ≤ v ≤ today: every past value here.", DatePeople, Prop("birthday", Relative(WithinLast, Years(1))), 1, 2, 3, 6, 7),
        Ex("date_is_set", "Every non-NULL date.", DatePeople, Prop("birthday", IsSet), 1, 2, 3, 5, 6, 7, 8),
        Ex("date_is_not_set", "Only the NULL date.", DatePeople, Prop("birthday", IsNotSet), 4),
        Ex("date_day_of_week", "2026-03-09 is a Monday, 03-10 a Tuesday, 03-15 a Sunday.",
            Birthdays(new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 10), null, new DateOnly(2026, 3, 15)),
            Prop("birthday", OnDays(System.DayOfWeek.Monday, System.DayOfWeek.Sunday)), 1, 4),
        Ex("date_month_clamped_to_end_of_february", "asOf 2026-03-31: today - 1 month = 2026-02-28 (clamped), so 02-28 is in, 02-27 out.",
            Birthdays(new DateOnly(2026, 2, 28), new DateOnly(2026, 2, 27), new DateOnly(2026, 3, 1)),
            Prop("birthday", Relative(WithinLast, Months(1))), 1, 3) with { AsOfUtc = Utc("2026-03-31T12:00:00Z") },
        Ex("date_month_clamped_to_leap_day", "asOf 2024-03-31: today - 1 month = 2024-02-29 (a leap year).",
            Birthdays(new DateOnly(2024, 2, 29), new DateOnly(2024, 2, 28)),
            Prop("birthday", Relative(WithinLast, Months(1))), 1) with { AsOfUtc = Utc("2024-03-31T12:00:00Z") },
        Ex("date_year_back_from_leap_day", "asOf 2028-02-29: today - 1 year = 2027-02-28 (clamped).",
            Birthdays(new DateOnly(2027, 2, 28), new DateOnly(2027, 2, 27)),
            Prop("birthday", Relative(WithinLast, Years(1))), 1) with { AsOfUtc = Utc("2028-02-29T12:00:00Z") },
        Ex("date_within_next_month_clamped", "asOf 2026-01-31: today + 1 month = 2026-02-28.",
            Birthdays(new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 1)),
            Prop("birthday", Relative(WithinNext, Months(1))), 1) with { AsOfUtc = Utc("2026-01-31T12:00:00Z") },
        Ex("date_anniversary_within_next_days", "Days 03-15..03-22: 03-15 (k=0), 03-22 (k=7), and 03-20 of a future year (year ignored); 03-14 was yesterday.",
            Birthdays(new DateOnly(1990, 3, 15), new DateOnly(1990, 3, 22), new DateOnly(1990, 3, 23), null, new DateOnly(1990, 3, 14), new DateOnly(2030, 3, 20)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(7))), 1, 2, 6),
        Ex("date_anniversary_within_next_week", "1 week = 7 days.",
            Birthdays(new DateOnly(1990, 3, 22), new DateOnly(1990, 3, 23)),
            Prop("birthday", Relative(AnniversaryWithinNext, Weeks(1))), 1),
        Ex("date_anniversary_today_only", "N = 0: only today's month and day.",
            Birthdays(new DateOnly(1990, 3, 15), new DateOnly(1990, 3, 16)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(0))), 1),
        Ex("date_anniversary_365_days_matches_every_value", "N ≥ 365 days matches every non-NULL value.",
            Birthdays(new DateOnly(1990, 3, 14), new DateOnly(2000, 2, 29), null, new DateOnly(1999, 12, 31)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(365))), 1, 2, 4),
        Ex("date_anniversary_leap_day_in_common_year", "2027 has no 29 February, so a 02-29 anniversary falls on 02-28 (k=1); 02-27 is k=0.",
            Birthdays(new DateOnly(2000, 2, 29), new DateOnly(2000, 3, 1), new DateOnly(2001, 2, 28), new DateOnly(2001, 2, 27)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(1))), 1, 3, 4) with { AsOfUtc = Utc("2027-02-27T12:00:00Z") },
        Ex("date_anniversary_leap_day_in_leap_year", "2028 has 29 February, so 02-29 is not reached within 02-27..02-28.",
            Birthdays(new DateOnly(2000, 2, 29), new DateOnly(2000, 3, 1), new DateOnly(2001, 2, 28), new DateOnly(2001, 2, 27)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(1))), 3, 4) with { AsOfUtc = Utc("2028-02-27T12:00:00Z") },
        Ex("date_anniversary_leap_day_reached_in_leap_year", "02-27..02-29 in 2028 reaches the leap day; 03-01 stays out.",
            Birthdays(new DateOnly(2000, 2, 29), new DateOnly(2000, 3, 1), new DateOnly(2001, 2, 28), new DateOnly(2001, 2, 27)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(2))), 1, 3, 4) with { AsOfUtc = Utc("2028-02-27T12:00:00Z") },
        Ex("date_anniversary_on_leap_day_itself", "Today is 2028-02-29: only the 02-29 birthday, not 02-28.",
            Birthdays(new DateOnly(2000, 2, 29), new DateOnly(2001, 2, 28)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(0))), 1) with { AsOfUtc = Utc("2028-02-29T12:00:00Z") },
        Ex("date_anniversary_across_year_end", "From 2026-12-30, 3 days reach 12-30, 12-31, 01-01, 01-02.",
            Birthdays(new DateOnly(1980, 1, 2), new DateOnly(1980, 1, 3), new DateOnly(1980, 12, 29), new DateOnly(1980, 12, 31)),
            Prop("birthday", Relative(AnniversaryWithinNext, Days(3))), 1, 4) with { AsOfUtc = Utc("2026-12-30T12:00:00Z") },
    ];
}
