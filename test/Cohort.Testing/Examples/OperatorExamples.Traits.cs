using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Sections 9 and 10: traits (defined in TestSchema) tested with trait conditions. asOf A = 2026-03-15T12:00Z.
public static partial class OperatorExamples
{
    // events (A = 12:00 on 03-15):
    // 1: view web 09:00, view app 09:00 (tie for first), purchase email 10:00 → channels web, app, email once each
    // 2: view NULL channel 08:00, cart web 09:00
    // 3: view U+1F600 08:00, view U+E000 08:00 (tie; U+E000 is the smaller code point, though not the smaller UTF-16 unit)
    // 4: nothing
    // 5: purchases 10 at A-10d, 20 at A-30d (edge), 5 at A-30d-1µs, 7 at A+1µs (after asOf: never counts);
    //    email_open at A-7d (edge), A-30d (edge), A-6d, A-31d; no channels
    private static readonly ReferenceDataset Channels = PeopleWithIds(5).Events(
        Ev(1, "view", At("09:00:00"), channel: "web"),
        Ev(1, "view", At("09:00:00"), channel: "app"),
        Ev(1, "purchase", At("10:00:00"), channel: "email"),
        Ev(2, "view", At("08:00:00")),
        Ev(2, "cart", At("09:00:00"), channel: "web"),
        Ev(3, "view", At("08:00:00"), channel: "\U0001F600"),
        Ev(3, "view", At("08:00:00"), channel: "\uE000"),
        Ev(5, "purchase", "2026-03-05T12:00:00Z", 10m),
        Ev(5, "purchase", "2026-02-13T12:00:00Z", 20m),
        Ev(5, "purchase", "2026-02-13T11:59:59.999999Z", 5m),
        Ev(5, "purchase", "2026-03-15T12:00:00.000001Z", 7m),
        Ev(5, "email_open", "2026-03-08T12:00:00Z"),
        Ev(5, "email_open", "2026-02-13T12:00:00Z"),
        Ev(5, "email_open", "2026-03-09T12:00:00Z"),
        Ev(5, "email_open", "2026-02-12T12:00:00Z"));

    // orders whose statuses order differently by code point and by UTF-16 unit: U+FFFD < U+1F600 by code point.
    private static readonly ReferenceDataset Statuses = PeopleWithIds(2).Orders(
        Order(1, 1, 1m, "\uFFFD", "2026-03-01T00:00:00Z"),
        Order(2, 1, 1m, "\U0001F600", "2026-03-02T00:00:00Z"),
        Order(3, 2, 1m, "b", "2026-03-01T00:00:00Z"),
        Order(4, 2, 1m, "a", "2026-03-01T00:00:00Z"));

    // 1: signups ads (03-01), email (03-02); 2: email and ads at the same instant; 3: a NULL source and a future ads signup; 4: none
    private static readonly ReferenceDataset SignupSources = PeopleWithIds(4).Signups(
        Signup(1, "2026-03-01T00:00:00Z", "ads"), Signup(1, "2026-03-02T00:00:00Z", "email"),
        Signup(2, "2026-03-01T00:00:00Z", "email"), Signup(2, "2026-03-01T00:00:00Z", "ads"),
        Signup(3, "2026-02-01T00:00:00Z"), Signup(3, "2026-03-16T00:00:00Z", "ads"));

    private static IEnumerable<OperatorExample> Traits() =>
    [
        // Over orders (the Shop dataset of the relation examples).
        Ex("trait_count", "order_count ≥ 2: 1 (3 orders), 3 (2: rows of a related model are not filtered by time).",
            Shop, Trait("order_count", Test(GreaterOrEqual, Num(2))), 1, 3),
        Ex("trait_count_is_zero_without_rows", "A count over no rows is 0.", Shop, Trait("order_count", Test(Eq, Num(0))), 4, 5, 6),
        Ex("trait_count_with_calendar_window", "recent_order_count: orders in [A - 1 month, A] = [02-15T12:00Z, A]: 1's 101 and 103.",
            Shop, Trait("recent_order_count", Test(GreaterOrEqual, Num(1))), 1),
        Ex("trait_sum_with_where", "lifetime_value = sum of completed totals: 1 550, 2 600, 3 20 (the future order; no window).",
            Shop, Trait("lifetime_value", Test(GreaterOrEqual, Num(550))), 1, 2),
        Ex("trait_sum_is_zero_without_rows", "No completed orders gives 0, not NULL.", Shop, Trait("lifetime_value", Test(Eq, Num(0))), 4, 5, 6),
        Ex("trait_avg", "avg_order_total ≥ 200: 1 (600/3 = 200), 2 (600). 3's is 20 (NULL total ignored).",
            Shop, Trait("avg_order_total", Test(GreaterOrEqual, Num(200))), 1, 2),
        Ex("trait_avg_null_not_equals", "A trait with no rows is NULL, so ne is true for it (unlike an aggregate measure).",
            Shop, Trait("avg_order_total", Test(NotEquals, Num(20))), 1, 2, 4, 5, 6),
        Ex("trait_avg_is_not_set", "No orders: avg is NULL.", Shop, Trait("avg_order_total", Is(IsNotSet)), 4, 5, 6),
        Ex("trait_min", "smallest_order < 100: 1 (50), 3 (20).", Shop, Trait("smallest_order", Test(LessThan, Num(100))), 1, 3),
        Ex("trait_max", "largest_order ≥ 600: 2.", Shop, Trait("largest_order", Test(GreaterOrEqual, Num(600))), 2),
        Ex("trait_max_timestamp", "last_order_at within 7 days: 1 (03-14). 3's latest is after asOf, so not within_last.",
            Shop, Trait("last_order_at", Relative(WithinLast, Days(7))), 1),
        Ex("trait_first", "first_order_status (by created_at, among rows with both set): 1's 102, 2's 201, 3's 302 are completed.",
            Shop, Trait("first_order_status", Test(Eq, Str("completed"))), 1, 2, 3),
        Ex("trait_last", "last_order_status: 1's latest is 103, refunded.", Shop, Trait("last_order_status", Test(Eq, Str("refunded"))), 1),
        Ex("trait_distinct_count_many_to_many", "category_count: 1 {shoes, hats} = 2; 2 {shoes} = 1; 3 {hats} = 1 (NULL ignored).",
            Shop, Trait("category_count", Test(Eq, Num(2))), 1),
        Ex("trait_list", "categories contains_all [shoes, hats]: only 1.",
            Shop, Trait("categories", List(ContainsAll, Str("shoes"), Str("hats"))), 1),
        Ex("trait_list_is_not_set_without_rows", "No products reached: the list is NULL.", Shop, Trait("categories", Is(IsNotSet)), 4, 5, 6),
        Ex("trait_most_frequent", "top_category over distinct products: 2 has two shoe products.",
            Shop, Trait("top_category", Test(Eq, Str("shoes"))), 2),
        Ex("trait_most_frequent_tie_goes_to_smallest", "1 has one shoe and one hat product: the tie goes to 'hats'. 3: hats (NULL ignored).",
            Shop, Trait("top_category", Test(Eq, Str("hats"))), 1, 3),
        Ex("trait_min_many_to_many", "cheapest_product < 50: 1 (hats 20), 3 (hats 20).", Shop, Trait("cheapest_product", Test(LessThan, Num(50))), 1, 3),
        Ex("trait_many_to_one", "seats ≥ 50: account 20.", Shop, Trait("seats", Test(GreaterOrEqual, Num(50))), 3, 6),
        Ex("trait_many_to_one_string", "account_plan = free.", Shop, Trait("account_plan", Test(Eq, Str("free"))), 3, 6),
        Ex("trait_min_string_by_code_point", "lowest_status: U+FFFD < U+1F600 by code point (UTF-16 order would say the emoji); 'a' < 'b'.",
            Statuses, Trait("lowest_status", List(In, Str("\uFFFD"), Str("a"))), 1, 2),

        // Over events.
        Ex("trait_first_tie_goes_to_smallest", "first_channel: web and app tie at 09:00, so app.", Channels, Trait("first_channel", Test(Eq, Str("app"))), 1),
        Ex("trait_first_skips_null_values", "first_channel: 2's earliest event has no channel, so the next one (web).",
            Channels, Trait("first_channel", Test(Eq, Str("web"))), 2),
        Ex("trait_first_tie_by_code_point", "3's tie between U+1F600 and U+E000 goes to U+E000, the smaller code point.",
            Channels, Trait("first_channel", Test(Eq, Str("\uE000"))), 3),
        Ex("trait_last_event", "last_event_name: 1's latest is the purchase; 5's latest at or before asOf is an email_open.",
            Channels, Trait("last_event_name", Test(Eq, Str("purchase"))), 1),
        Ex("trait_most_frequent_tie", "favourite_channel: web, app, email once each, so app.", Channels, Trait("favourite_channel", Test(Eq, Str("app"))), 1),
        Ex("trait_most_frequent_tie_by_code_point", "U+E000 and U+1F600 once each: U+E000.", Channels, Trait("favourite_channel", Test(Eq, Str("\uE000"))), 3),
        Ex("trait_most_frequent_null_without_values", "4 has no events, 5's have no channel.", Channels, Trait("favourite_channel", Is(IsNotSet)), 4, 5),
        Ex("trait_event_count_window_edges", "purchases_30d: 5's purchases at A-30d (edge) and A-10d; A-30d-1µs is older, A+1µs later.",
            Channels, Trait("purchases_30d", Test(Eq, Num(2))), 5),
        Ex("trait_event_sum_window", "spend_90d: 10 + 20 + 5 = 35; the purchase after asOf is not counted.", Channels, Trait("spend_90d", Test(Eq, Num(35))), 5),
        Ex("trait_event_avg", "avg_purchase: 5's is 35/3 = 11.67 (after asOf not counted), between 11.66 and 11.67; 1's only purchase has no amount (NULL).",
            Channels, Trait("avg_purchase", Range(Between, Num(11.66m), Num(11.67m))), 5),
        Ex("trait_event_between_ago_window", "opens_7_to_30_days_ago: A-30d ≤ t ≤ A-7d holds both edges (A-7d, A-30d), not A-6d or A-31d.",
            Channels, Trait("opens_7_to_30_days_ago", Test(Eq, Num(2))), 5),
        Ex("trait_event_list", "channels contains web: 1 and 2.", Channels, Trait("channels", List(ContainsAny, Str("web"))), 1, 2),
        Ex("trait_event_distinct_count", "channel_count = 3: web, app, email.", Channels, Trait("channel_count", Test(Eq, Num(3))), 1),
        Ex("trait_event_max_timestamp", "last_purchase_at within 10 days: 1 (today), 5 (A-10d, the edge).",
            Channels, Trait("last_purchase_at", Relative(WithinLast, Days(10))), 1, 5),
        Ex("trait_one_event_table_first", "first_signup_source: 1's first is ads; 2's tie goes to ads (smaller than email).",
            SignupSources, Trait("first_signup_source", Test(Eq, Str("ads"))), 1, 2),
        Ex("trait_list_null_without_non_null_values", "signup_sources: 3's only counted signup has a NULL source (the other is after asOf), so NULL like 4's.",
            SignupSources, Trait("signup_sources", Is(IsNotSet)), 3, 4),
    ];
}
