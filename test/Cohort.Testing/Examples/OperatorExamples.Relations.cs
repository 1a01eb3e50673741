using Cohort.Core.Audiences;
using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Section 8: relation conditions. asOf A = 2026-03-15T12:00Z.
public static partial class OperatorExamples
{
    // people: 1 and 2 on account 10 (pro), 3 and 6 on account 20 (free, 6 is vip), 4 no account, 5 a missing account 30
    // orders: 101 p1 300 completed 03-10 | 102 p1 250 completed 01-10 | 103 p1 50 refunded 03-14
    //         201 p2 600 completed 2025-06-01
    //         301 p3 NULL total/status/time | 302 p3 20 completed, a microsecond after asOf
    // products: 1 shoes 50, 2 shoes 80, 3 hats 20, 4 NULL category 90
    // order_items: 101-1, 102-1, 103-3, 201-1, 201-2, 201-2 (the same pair twice), 301-4, 302-3
    // events: 2 purchased yesterday
    // So p1 reaches products {1, 3} (1 through two orders), p2 reaches {1, 2}, p3 reaches {4, 3}.
    private static readonly ReferenceDataset Shop = People(
            Person(1, ("account_id", 10L)), Person(2, ("account_id", 10L)), Person(3, ("account_id", 20L)),
            Person(4), Person(5, ("account_id", 30L)), Person(6, ("account_id", 20L), ("vip", true)))
        .Accounts(Account(10, "pro", 5), Account(20, "free", 50))
        .Orders(
            Order(101, 1, 300m, "completed", "2026-03-10T00:00:00Z"),
            Order(102, 1, 250m, "completed", "2026-01-10T00:00:00Z"),
            Order(103, 1, 50m, "refunded", "2026-03-14T00:00:00Z"),
            Order(201, 2, 600m, "completed", "2025-06-01T00:00:00Z"),
            Order(301, 3),
            Order(302, 3, 20m, "completed", "2026-03-15T12:00:00.000001Z"))
        .Products(Product(1, "shoes", 50m), Product(2, "shoes", 80m), Product(3, "hats", 20m), Product(4, null, 90m))
        .Items(Item(101, 1), Item(102, 1), Item(103, 3), Item(201, 1), Item(201, 2), Item(201, 2), Item(301, 4), Item(302, 3))
        .Events(Ev(2, "purchase", "2026-03-14T12:00:00Z"));

    private static Condition Completed => Prop("status", Eq, Str("completed"));

    private static IEnumerable<OperatorExample> Relations() =>
    [
        Ex("relation_has_rows", "Default measure: at least one order. 3's future and time-less orders count: no window, no time filter.",
            Shop, Relation("orders"), 1, 2, 3),
        Ex("relation_count_where", "At least two completed orders: 1 (101, 102).",
            Shop, Relation("orders", where: Completed, measure: AtLeast(2)), 1),
        Ex("relation_count_zero", "No orders at all.", Shop, Relation("orders", measure: Exactly(0)), 4, 5, 6),
        Ex("relation_not_performed", "performed: false is count = 0.", Shop, Relation("orders", measure: NotPerformed), 4, 5, 6),
        Ex("relation_where_negative_matches_null", "status ne completed: 1's refunded order and 3's NULL-status order.",
            Shop, Relation("orders", where: Prop("status", NotEquals, Str("completed"))), 1, 3),
        Ex("relation_no_window_counts_null_and_future_times", "Two or more orders, whatever their time: 1 (3) and 3 (2).",
            Shop, Relation("orders", measure: AtLeast(2)), 1, 3),
        Ex("relation_window_within_last", "With a window, orders need a time in [A-30d, A]: 1's 101 and 103. 3's are NULL and future.",
            Shop, Relation("orders", window: Last(Days(30))), 1),
        Ex("relation_window_between_ago", "A-365d = 2025-03-15T12:00Z ≤ t ≤ A-30d = 2026-02-13T12:00Z: 1's 102 and 2's 201.",
            Shop, Relation("orders", window: AgoWindow(Days(30), Days(365))), 1, 2),
        Ex("relation_window_during", "During March 2026 (dates, UTC): 101 and 103; 302 is after asOf.",
            Shop, Relation("orders", window: During(Date(2026, 3, 1), Date(2026, 3, 31))), 1),
        Ex("relation_aggregate_sum", "Sum of totals ≥ 500: 1 (600) and 2 (600); 3's is 20 (NULL ignored).",
            Shop, Relation("orders", measure: Aggregate(AggregateFunction.Sum, "total", Test(GreaterOrEqual, Num(500)))), 1, 2),
        Ex("relation_aggregate_sum_where", "Sum of completed totals ≥ 600: 2; 1 has 550.",
            Shop, Relation("orders", where: Completed, measure: Aggregate(AggregateFunction.Sum, "total", Test(GreaterOrEqual, Num(600)))), 2),
        Ex("relation_aggregate_avg", "avg > 200: 1's is exactly 200 (not above); 2's 600.",
            Shop, Relation("orders", measure: Aggregate(AggregateFunction.Avg, "total", Test(GreaterThan, Num(200)))), 2),
        Ex("relation_aggregate_min", "min total < 100: 1 (50) and 3 (20).",
            Shop, Relation("orders", measure: Aggregate(AggregateFunction.Min, "total", Test(LessThan, Num(100)))), 1, 3),
        Ex("relation_aggregate_max", "max total ≥ 300: 1 and 2.",
            Shop, Relation("orders", measure: Aggregate(AggregateFunction.Max, "total", Test(GreaterOrEqual, Num(300)))), 1, 2),
        Ex("relation_first_occurred", "First order before 2026-01-01: only 2. 3's first timed order is after asOf (no window, so it counts).",
            Shop, Relation("orders", measure: First(Test(Before, Date(2026, 1, 1)))), 2),
        Ex("relation_last_occurred", "Last order within 7 days: 1 (03-14). 3's last is after asOf, which within_last excludes.",
            Shop, Relation("orders", measure: Last(Relative(WithinLast, Days(7)))), 1),
        Ex("relation_many_to_many_distinct_rows", "Products are counted once each: 1 reaches {1, 3}, 2 {1, 2} (despite a duplicate pair), 3 {3, 4}; all exactly 2.",
            Shop, Relation("orders.products", measure: Exactly(2)), 1, 2, 3),
        Ex("relation_many_to_many_where", "At least two distinct shoe products: only 2. 1 bought product 1 twice.",
            Shop, Relation("orders.products", where: Prop("category", Eq, Str("shoes")), measure: AtLeast(2)), 2),
        Ex("relation_many_to_many_sum_distinct", "Sum of distinct products' prices ≥ 120: 2 (50 + 80). 1 is 70, not 120; 3 is 110.",
            Shop, Relation("orders.products", measure: Aggregate(AggregateFunction.Sum, "price", Test(GreaterOrEqual, Num(120)))), 2),
        Ex("relation_nested_where", "Repeat buyers of shoes: at least two orders containing a shoe product. 1's 101 and 102.",
            Shop, Relation("orders", measure: AtLeast(2), where: Relation("products", where: Prop("category", Eq, Str("shoes")))), 1),
        Ex("relation_nested_where_not", "Orders with no shoe product: 1's 103, and 3's two orders (a NULL category is not shoes).",
            Shop, Relation("orders", where: Relation("products", where: Prop("category", Eq, Str("shoes")), measure: NotPerformed)), 1, 3),
        Ex("relation_many_to_one", "The account is on pro: 1 and 2. 4 has no account, 5's account does not exist.",
            Shop, Relation("account", where: Prop("plan", Eq, Str("pro"))), 1, 2),
        Ex("relation_many_to_one_missing", "No account reached: a NULL key and a dangling key.",
            Shop, Relation("account", measure: NotPerformed), 4, 5),
        Ex("relation_multi_hop_back_to_people", "account.members reaches everyone on the same account (self included): account 20 has vip 6.",
            Shop, Relation(["account", "members"], where: Prop("vip", IsTrue)), 3, 6),
        Ex("relation_multi_hop_count", "Accounts with at least two members.",
            Shop, Relation(["account", "members"], measure: AtLeast(2)), 1, 2, 3, 6),
        Ex("relation_event_in_where", "Someone on my account purchased: 2 did, so 1 and 2.",
            Shop, Relation(["account", "members"], where: Event("purchase")), 1, 2),
    ];
}
