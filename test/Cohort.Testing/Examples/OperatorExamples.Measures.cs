using Cohort.Core.Audiences;
using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Section 6 measures: aggregates and first/last occurrence.
public static partial class OperatorExamples
{
    // purchase amounts (all before asOf):
    // 1: 10 (A-2d), 30 (A-1d)           sum 40, avg 20, min 10, max 30
    // 2: 1, 1, 2                        sum 4, avg 4/3, min 1, max 2
    // 3: one purchase with NULL amount  sum 0, no avg/min/max
    // 4: no purchase (a view of 100)    sum 0, no avg/min/max
    // 5: 5 and NULL                     sum 5, avg 5, min 5, max 5
    private static readonly ReferenceDataset Amounts = PeopleWithIds(5).Events(
        Ev(1, "purchase", "2026-03-13T12:00:00Z", 10m),
        Ev(1, "purchase", "2026-03-14T12:00:00Z", 30m),
        Ev(2, "purchase", "2026-03-12T12:00:00Z", 1m),
        Ev(2, "purchase", "2026-03-13T12:00:00Z", 1m),
        Ev(2, "purchase", "2026-03-14T12:00:00Z", 2m),
        Ev(3, "purchase", "2026-03-14T12:00:00Z"),
        Ev(4, "view", "2026-03-14T12:00:00Z", 100m),
        Ev(5, "purchase", "2026-03-13T12:00:00Z", 5m),
        Ev(5, "purchase", "2026-03-14T12:00:00Z"));

    // purchase times: 1 at A-40d and A-1d; 2 at A-2d; 3 at A-20d; 4 none
    private static readonly ReferenceDataset PurchaseTimes = PeopleWithIds(4).Events(
        Ev(1, "purchase", "2026-02-03T12:00:00Z"),
        Ev(1, "purchase", "2026-03-14T12:00:00Z"),
        Ev(2, "purchase", "2026-03-13T12:00:00Z"),
        Ev(3, "purchase", "2026-02-23T12:00:00Z"));

    private static Condition Purchases(Measure measure, TimeWindow? window = null) => Event("purchase", window: window, measure: measure);

    private static IEnumerable<OperatorExample> EventMeasures() =>
    [
        Ex("aggregate_sum", "sum ≥ 40: only 1.", Amounts, Purchases(Aggregate(AggregateFunction.Sum, "amount", Test(GreaterOrEqual, Num(40)))), 1),
        Ex("aggregate_sum_is_zero_over_nothing", "A sum over no values is 0: 3 (only NULL) and 4 (no purchase).",
            Amounts, Purchases(Aggregate(AggregateFunction.Sum, "amount", Test(LessOrEqual, Num(0)))), 3, 4),
        Ex("aggregate_sum_ignores_null", "5's sum is 5: the NULL is ignored.",
            Amounts, Purchases(Aggregate(AggregateFunction.Sum, "amount", Test(Eq, Num(5)))), 5),
        Ex("aggregate_sum_ne", "sum ≠ 4: a sum always exists (0 at worst), so everyone but 2.",
            Amounts, Purchases(Aggregate(AggregateFunction.Sum, "amount", Test(NotEquals, Num(4)))), 1, 3, 4, 5),
        Ex("aggregate_avg_between", "avg in [5, 20]: 20 and 5; 4/3 is below.",
            Amounts, Purchases(Aggregate(AggregateFunction.Avg, "amount", Range(Between, Num(5), Num(20)))), 1, 5),
        Ex("aggregate_avg_compared_exactly_gt", "4/3 > 1.33333333333333333333 (sum 4 > 3 × literal); a double average would say equal.",
            Amounts, Purchases(Aggregate(AggregateFunction.Avg, "amount", Test(GreaterThan, Num(1.33333333333333333333m)))), 1, 2, 5),
        Ex("aggregate_avg_compared_exactly_eq", "4/3 is not 1.3333333333333333333333333333 (3 × that is not 4), though a rounded decimal division would be.",
            Amounts, Purchases(Aggregate(AggregateFunction.Avg, "amount", Test(Eq, Num(1.3333333333333333333333333333m)))), []),
        Ex("aggregate_avg_none_is_false_even_for_ne", "avg ≠ 5 is false when there are no values (3, 4), unlike a property test on NULL.",
            Amounts, Purchases(Aggregate(AggregateFunction.Avg, "amount", Test(NotEquals, Num(5)))), 1, 2),
        Ex("aggregate_min", "min < 5: only 2 (min 1).", Amounts, Purchases(Aggregate(AggregateFunction.Min, "amount", Test(LessThan, Num(5)))), 2),
        Ex("aggregate_min_none_is_false", "min ≠ 1: 1 (10) and 5 (5); 3 and 4 have no values.",
            Amounts, Purchases(Aggregate(AggregateFunction.Min, "amount", Test(NotEquals, Num(1)))), 1, 5),
        Ex("aggregate_max", "max ≥ 30: only 1. 4's 100 is a view.", Amounts, Purchases(Aggregate(AggregateFunction.Max, "amount", Test(GreaterOrEqual, Num(30)))), 1),
        Ex("aggregate_max_lte", "max ≤ 5: 2 (2) and 5 (5).", Amounts, Purchases(Aggregate(AggregateFunction.Max, "amount", Test(LessOrEqual, Num(5)))), 2, 5),
        Ex("aggregate_in_window", "Only purchases in the last day (A-1d is the edge): 1's 30.",
            Amounts, Purchases(Aggregate(AggregateFunction.Sum, "amount", Test(GreaterOrEqual, Num(30))), Last(Days(1))), 1),
        Ex("first_occurred_within_last", "New purchasers: the earliest purchase is within 7 days. 1's first was A-40d.",
            PurchaseTimes, Purchases(First(Relative(WithinLast, Days(7)))), 2),
        Ex("first_occurred_before_date", "First purchase before 2026-02-10: 1 (02-03).",
            PurchaseTimes, Purchases(First(Test(Before, Date(2026, 2, 10)))), 1),
        Ex("first_occurred_after_window", "The window applies first: within 30 days, 1's earliest is A-1d, 3's is A-20d.",
            PurchaseTimes, Purchases(First(Relative(MoreThanAgo, Days(7))), Last(Days(30))), 3),
        Ex("last_occurred_more_than_ago", "Lapsed: last purchase more than 14 days ago. 4 has none, so false.",
            PurchaseTimes, Purchases(Last(Relative(MoreThanAgo, Days(14)))), 3),
        Ex("last_occurred_within_last_edge", "Last purchase within 1 day: 1's is exactly A-1d.",
            PurchaseTimes, Purchases(Last(Relative(WithinLast, Days(1)))), 1),
        Ex("last_occurred_not_equals_none_is_false", "last ≠ 2026-03-13 (as a day): 1 (03-14) and 3; 2 is on 03-13; 4 has none, so false.",
            PurchaseTimes, Purchases(Last(Test(NotEquals, Date(2026, 3, 13)))), 1, 3),
    ];
}
