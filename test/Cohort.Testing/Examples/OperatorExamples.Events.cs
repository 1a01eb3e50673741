using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Section 6: which event rows match (names, t ≤ asOf, where) and the count measures.
public static partial class OperatorExamples
{
    // asOf A = 2026-03-15T12:00Z.
    // 1: purchase A-1d (10, web), purchase A-40d (30, app), view A-1h
    // 2: view A-2d
    // 3: no events
    // 4: purchase A+1µs (after asOf: never counts)
    // 5: purchase 2026-03-10 with NULL amount, twice (duplicate rows count separately)
    // 6: purchase with a NULL timestamp (never matches)
    // A row for person 99, who is not in people, is never reached.
    private static readonly ReferenceDataset ShopEvents = PeopleWithIds(6).Events(
        Ev(1, "purchase", "2026-03-14T12:00:00Z", 10m, "web"),
        Ev(1, "purchase", "2026-02-03T12:00:00Z", 30m, "app"),
        Ev(1, "view", "2026-03-15T11:00:00Z"),
        Ev(2, "view", "2026-03-13T12:00:00Z"),
        Ev(4, "purchase", "2026-03-15T12:00:00.000001Z", 50m),
        Ev(5, "purchase", "2026-03-10T00:00:00Z"),
        Ev(5, "purchase", "2026-03-10T00:00:00Z"),
        EvNoTime(6, "purchase"),
        Ev(99, "purchase", "2026-03-14T12:00:00Z", 10m));

    private static IEnumerable<OperatorExample> Events() =>
    [
        Ex("event_performed", "A purchase at or before asOf: 1 and 5. 4's is after asOf, 6's has no time.",
            ShopEvents, Event("purchase"), 1, 5),
        Ex("event_not_performed", "performed: false is count = 0: everyone else, people with no events included.",
            ShopEvents, Event("purchase", measure: NotPerformed), 2, 3, 4, 6),
        Ex("event_not_of_performed", "not {event} is the same set as performed: false.",
            ShopEvents, Not(Event("purchase")), 2, 3, 4, 6),
        Ex("event_several_names", "Any of view or cart.", ShopEvents, Event(["view", "cart"]), 1, 2),
        Ex("event_explicit_model", "model: events named explicitly.", ShopEvents, Event("view", model: "events"), 1, 2),
        Ex("event_where", "Only 1's 30 purchase has amount ≥ 20.",
            ShopEvents, Event("purchase", where: Prop("amount", GreaterOrEqual, Num(20))), 1),
        Ex("event_where_negative_matches_null", "amount ne 10 is true for 1's 30 and for 5's NULL amounts.",
            ShopEvents, Event("purchase", where: Prop("amount", NotEquals, Num(10))), 1, 5),
        Ex("event_where_is_not_set", "Only 5's purchases have no amount.",
            ShopEvents, Event("purchase", where: Prop("amount", IsNotSet)), 5),
        Ex("event_where_group", "A purchase on web or of at least 25: both of 1's.",
            ShopEvents, Event("purchase", where: Any(Prop("channel", Eq, Str("web")), Prop("amount", GreaterOrEqual, Num(25)))), 1),
        Ex("event_count_at_least_counts_duplicates", "1 has two purchases; 5's two identical rows count separately.",
            ShopEvents, Event("purchase", measure: AtLeast(2)), 1, 5),
        Ex("event_count_at_most_includes_zero", "count ≤ 1 holds for everyone with 0 or 1 purchases.",
            ShopEvents, Event("purchase", measure: AtMost(1)), 2, 3, 4, 6),
        Ex("event_count_exactly", "Exactly two purchases.", ShopEvents, Event("purchase", measure: Exactly(2)), 1, 5),
        Ex("event_count_between", "1 ≤ views ≤ 2.", ShopEvents, Event("view", measure: CountBetween(1, 2)), 1, 2),
        Ex("event_count_between_from_zero", "0 ≤ purchases ≤ 1 includes people with none.",
            ShopEvents, Event("purchase", measure: CountBetween(0, 1)), 2, 3, 4, 6),
        Ex("event_at_as_of_counts", "t = A counts; t = A + 1µs never does, whatever the window.",
            PeopleWithIds(2).Events(Ev(1, "purchase", "2026-03-15T12:00:00Z"), Ev(2, "purchase", "2026-03-15T12:00:00.000001Z")),
            Event("purchase"), 1),
        Ex("event_one_event_table", "signups holds one event, 'signup'; 2's signup is after asOf.",
            PeopleWithIds(3).Signups(Signup(1, "2026-03-13T12:00:00Z", "ads"), Signup(2, "2026-03-16T00:00:00Z", "ads")),
            Event("signup"), 1),
        Ex("event_one_event_table_where", "Signups from ads.",
            PeopleWithIds(3).Signups(Signup(1, "2026-03-13T12:00:00Z", "ads"), Signup(2, "2026-03-13T00:00:00Z", "email"), Signup(3, "2026-03-13T00:00:00Z")),
            Event("signup", where: Prop("source", Eq, Str("ads"))), 1),
    ];

    // One purchase per person at a chosen instant (null: no timestamp).
    private static ReferenceDataset PurchasesAt(params string?[] instants) =>
        PeopleWithIds(instants.Length).Events([.. instants.Select((t, i) => t is null ? EvNoTime(i + 1, "purchase") : Ev(i + 1, "purchase", t))]);

    private static IEnumerable<OperatorExample> EventWindows() =>
    [
        Ex("window_within_last_edges", "A-1d ≤ t ≤ A: the edge and A are in; a microsecond older, or after A, is out.",
            PurchasesAt("2026-03-14T12:00:00Z", "2026-03-14T11:59:59.999999Z", "2026-03-15T12:00:00Z", "2026-03-15T12:00:00.000001Z"),
            Event("purchase", window: Last(Days(1))), 1, 3),
        Ex("window_within_last_month", "A - 1 month = 2026-02-15T12:00Z.",
            PurchasesAt("2026-02-15T12:00:00Z", "2026-02-15T11:59:59.999999Z"),
            Event("purchase", window: Last(Months(1))), 1),
        Ex("window_within_last_hours_not_performed", "No purchase in the last 24 hours: the edge purchase counts, so only 2 and the NULL-time 3 qualify.",
            PurchasesAt("2026-03-14T12:00:00Z", "2026-03-14T11:59:59.999999Z", null),
            Event("purchase", window: Last(Hours(24)), measure: NotPerformed), 2, 3),
        Ex("window_between_ago_edges", "A-7d ≤ t ≤ A-1d, inclusive at both ends.",
            PurchasesAt("2026-03-08T12:00:00Z", "2026-03-08T11:59:59.999999Z", "2026-03-14T12:00:00Z", "2026-03-14T12:00:00.000001Z"),
            Event("purchase", window: AgoWindow(Days(1), Days(7))), 1, 3),
        Ex("window_between_ago_months", "A-2 months = 01-15T12:00Z ≤ t ≤ A-1 month = 02-15T12:00Z.",
            PurchasesAt("2026-01-15T12:00:00Z", "2026-01-15T11:59:59.999999Z", "2026-02-15T12:00:00Z", "2026-02-15T12:00:00.000001Z"),
            Event("purchase", window: AgoWindow(Months(1), Months(2))), 1, 3),
        Ex("window_during_dates", "UTC: start(03-01) ≤ t < start(03-11).",
            PurchasesAt("2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z", "2026-03-10T23:59:59.999999Z", "2026-03-11T00:00:00Z"),
            Event("purchase", window: During(Date(2026, 3, 1), Date(2026, 3, 10))), 2, 3),
        Ex("window_during_dates_in_zone", "New York: start(03-01) = 05:00Z (EST) and start(03-11) = 04:00Z (EDT from 03-08).",
            PurchasesAt("2026-03-01T04:59:59.999999Z", "2026-03-01T05:00:00Z", "2026-03-11T03:59:59.999999Z", "2026-03-11T04:00:00Z"),
            Event("purchase", window: During(Date(2026, 3, 1), Date(2026, 3, 10))), 2, 3) with { TimeZoneId = "America/New_York" },
        Ex("window_during_timestamps", "T1 ≤ t ≤ T2 inclusive.",
            PurchasesAt("2026-03-01T09:29:59.999999Z", "2026-03-01T09:30:00Z", "2026-03-10T09:30:00Z", "2026-03-10T09:30:00.000001Z"),
            Event("purchase", window: During(Ts("2026-03-01T09:30:00Z"), Ts("2026-03-10T09:30:00Z"))), 2, 3),
        Ex("window_during_reaching_past_asof", "A window ending after asOf still stops at asOf.",
            PurchasesAt("2026-03-15T12:00:00Z", "2026-03-15T12:00:00.000001Z", "2026-06-01T00:00:00Z"),
            Event("purchase", window: During(Date(2026, 3, 1), Date(2026, 12, 31))), 1),
        Ex("window_ever", "ever: every purchase at or before asOf, however old; none with a NULL time.",
            PurchasesAt("2000-01-01T00:00:00Z", "2026-03-15T12:00:00.000001Z", null),
            Event("purchase", window: Ever), 1),
    ];
}
