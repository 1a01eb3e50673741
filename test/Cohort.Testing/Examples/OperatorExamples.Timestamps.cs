using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    /// <summary>People 1..n with signup_at set to the given instants (null for NULL).</summary>
    private static ReferenceDataset SignupTimes(params string?[] instants) =>
        People([.. instants.Select((t, i) => Person(i + 1, ("signup_at", t is null ? null : (object)Utc(t))))]);

    private static IEnumerable<OperatorExample> Timestamps() =>
    [
        // asOf A = 2026-03-15T12:00:00Z; A - 30 days = 2026-02-13T12:00:00Z.
        Ex("timestamp_within_last_days_edges", "A-30d (edge) and A are in; a microsecond older or after A is out; NULL is out.",
            SignupTimes("2026-02-13T12:00:00Z", "2026-02-13T11:59:59.999999Z", "2026-03-15T12:00:00Z", "2026-03-15T12:00:00.000001Z", null),
            Prop("signup_at", Relative(WithinLast, Days(30))), 1, 3),
        Ex("timestamp_more_than_ago_days_edges", "v < A-30d: only the value a microsecond older than the edge. With within_last it splits the past.",
            SignupTimes("2026-02-13T12:00:00Z", "2026-02-13T11:59:59.999999Z", "2026-03-15T12:00:00Z", "2026-03-15T12:00:00.000001Z", null),
            Prop("signup_at", Relative(MoreThanAgo, Days(30))), 2),
        Ex("timestamp_within_last_seconds", "A-90s = 11:58:30.", SignupTimes("2026-03-15T11:58:30Z", "2026-03-15T11:58:29.999999Z"),
            Prop("signup_at", Relative(WithinLast, Seconds(90))), 1),
        Ex("timestamp_within_last_minutes", "A-15min = 11:45.", SignupTimes("2026-03-15T11:45:00Z", "2026-03-15T11:44:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Minutes(15))), 1),
        Ex("timestamp_within_last_hours", "A-2h = 10:00.", SignupTimes("2026-03-15T10:00:00Z", "2026-03-15T09:59:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Hours(2))), 1),
        Ex("timestamp_within_last_weeks", "A-2 weeks = A-14 days = 2026-03-01T12:00Z.", SignupTimes("2026-03-01T12:00:00Z", "2026-03-01T11:59:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Weeks(2))), 1),
        Ex("timestamp_within_last_month_clamped", "asOf 2026-03-31T10:00Z: A - 1 month = 2026-02-28T10:00Z (clamped).",
            SignupTimes("2026-02-28T10:00:00Z", "2026-02-28T09:59:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Months(1))), 1) with { AsOfUtc = Utc("2026-03-31T10:00:00Z") },
        Ex("timestamp_within_last_year_from_leap_day", "asOf 2028-02-29T00:00Z: A - 1 year = 2027-02-28T00:00Z.",
            SignupTimes("2027-02-28T00:00:00Z", "2027-02-27T23:59:59.999999Z"),
            Prop("signup_at", Relative(WithinLast, Years(1))), 1) with { AsOfUtc = Utc("2028-02-29T00:00:00Z") },
        Ex("timestamp_more_than_ago_month", "A - 1 month = 2026-02-15T12:00Z; v must be strictly older.",
            SignupTimes("2026-02-15T12:00:00Z", "2026-02-15T11:59:59.999999Z"),
            Prop("signup_at", Relative(MoreThanAgo, Months(1))), 2),
        Ex("timestamp_between_ago_edges", "A-2h = 10:00 ≤ v ≤ A-1h = 11:00, both edges in, a microsecond beyond either out.",
            SignupTimes("2026-03-15T10:00:00Z", "2026-03-15T09:59:59.999999Z", "2026-03-15T11:00:00Z", "2026-03-15T11:00:00.000001Z"),
            Prop("signup_at", Ago(Hours(1), Hours(2))), 1, 3),
        Ex("timestamp_within_next_edges", "A ≤ v ≤ A+1 day.",
            SignupTimes("2026-03-15T12:00:00Z", "2026-03-15T11:59:59.999999Z", "2026-03-16T12:00:00Z", "2026-03-16T12:00:00.000001Z"),
            Prop("signup_at", Relative(WithinNext, Days(1))), 1, 3),
        Ex("timestamp_before_date", "UTC: v < start(2026-03-01) = 2026-03-01T00:00Z.",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z"),
            Prop("signup_at", Before, Date(2026, 3, 1)), 1),
        Ex("timestamp_after_date", "After the whole day: v ≥ start(2026-03-02).",
            SignupTimes("2026-03-01T23:59:59.999999Z", "2026-03-02T00:00:00Z", "2026-03-01T12:00:00Z"),
            Prop("signup_at", After, Date(2026, 3, 1)), 2),
        Ex("timestamp_on_date", "start(03-01) ≤ v < start(03-02).",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-01T23:59:59.999999Z", "2026-03-02T00:00:00Z"),
            Prop("signup_at", On, Date(2026, 3, 1)), 2, 3),
        Ex("timestamp_equals_date", "equals with a date is on.",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-01T23:59:59.999999Z", "2026-03-02T00:00:00Z"),
            Prop("signup_at", Eq, Date(2026, 3, 1)), 2, 3),
        Ex("timestamp_not_equals_date", "Complement of on 03-01, NULL included.",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-01T23:59:59.999999Z", "2026-03-02T00:00:00Z", null),
            Prop("signup_at", NotEquals, Date(2026, 3, 1)), 1, 4, 5),
        Ex("timestamp_before_timestamp", "v < T strictly.", SignupTimes("2026-03-01T09:30:00Z", "2026-03-01T09:29:59.999999Z"),
            Prop("signup_at", Before, Ts("2026-03-01T09:30:00Z")), 2),
        Ex("timestamp_after_timestamp", "v > T strictly.", SignupTimes("2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000001Z"),
            Prop("signup_at", After, Ts("2026-03-01T09:30:00Z")), 2),
        Ex("timestamp_equals_timestamp", "The same instant, to the microsecond; an offset literal is the instant it denotes (10:30+01:00 = 09:30Z).",
            SignupTimes("2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000001Z"),
            Prop("signup_at", Eq, Ts("2026-03-01T10:30:00+01:00")), 1),
        Ex("timestamp_not_equals_timestamp", "Complement of equals T, NULL included.",
            SignupTimes("2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000001Z", null),
            Prop("signup_at", NotEquals, Ts("2026-03-01T09:30:00Z")), 2, 3),
        Ex("timestamp_between_dates", "start(03-01) ≤ v < start(03-03).",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-02T23:59:59.999999Z", "2026-03-03T00:00:00Z"),
            Prop("signup_at", Range(Between, Date(2026, 3, 1), Date(2026, 3, 2))), 2, 3),
        Ex("timestamp_between_timestamps", "T1 ≤ v ≤ T2, inclusive at both ends.",
            SignupTimes("2026-03-01T09:29:59.999999Z", "2026-03-01T09:30:00Z", "2026-03-02T09:30:00Z", "2026-03-02T09:30:00.000001Z"),
            Prop("signup_at", Range(Between, Ts("2026-03-01T09:30:00Z"), Ts("2026-03-02T09:30:00Z"))), 2, 3),
        Ex("timestamp_between_date_and_timestamp", "A date low end means start(D); a timestamp high end is inclusive.",
            SignupTimes("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-02T09:30:00Z", "2026-03-02T09:30:00.000001Z"),
            Prop("signup_at", Range(Between, Date(2026, 3, 1), Ts("2026-03-02T09:30:00Z"))), 2, 3),
        Ex("timestamp_between_timestamp_and_date", "A timestamp low end is inclusive; a date high end means before start(D + 1 day).",
            SignupTimes("2026-03-01T09:29:59.999999Z", "2026-03-01T09:30:00Z", "2026-03-02T23:59:59.999999Z", "2026-03-03T00:00:00Z"),
            Prop("signup_at", Range(Between, Ts("2026-03-01T09:30:00Z"), Date(2026, 3, 2))), 2, 3),
        Ex("timestamp_day_of_week", "UTC: 2026-03-15T00:00Z is Sunday; a microsecond earlier is Saturday.",
            SignupTimes("2026-03-15T00:00:00Z", "2026-03-14T23:59:59.999999Z", null),
            Prop("signup_at", OnDays(System.DayOfWeek.Sunday)), 1),
        Ex("timestamp_anniversary", "The anniversary uses local(v): 2020-03-15T23:59:59Z is a 03-15 anniversary, 03-16T00:00Z is not (N = 0).",
            SignupTimes("2020-03-15T23:59:59Z", "2020-03-16T00:00:00Z"),
            Prop("signup_at", Relative(AnniversaryWithinNext, Days(0))), 1),
        Ex("timestamp_is_set", "Non-NULL timestamps.", SignupTimes("2026-03-01T00:00:00Z", null), Prop("signup_at", IsSet), 1),
        Ex("timestamp_is_not_set", "NULL timestamps.", SignupTimes("2026-03-01T00:00:00Z", null), Prop("signup_at", IsNotSet), 2),
    ];
}
