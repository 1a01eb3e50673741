using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    // age (integer): 1 → 17, 2 → 18, 3 → NULL, 4 → 30, 5 → -1
    // score (number): 1 → 9.5, 2 → 10, 3 → NULL, 4 → 10.00, 5 → 0.1
    private static readonly ReferenceDataset NumberPeople = People(
        Person(1, ("age", 17L), ("score", 9.5m)),
        Person(2, ("age", 18L), ("score", 10m)),
        Person(3),
        Person(4, ("age", 30L), ("score", 10.00m)),
        Person(5, ("age", -1L), ("score", 0.1m)));

    private static IEnumerable<OperatorExample> Numbers() =>
    [
        Ex("integer_equals", "age = 18.", NumberPeople, Prop("age", Eq, Num(18)), 2),
        Ex("integer_not_equals", "Complement of = 18: NULL (3) is in.", NumberPeople, Prop("age", NotEquals, Num(18)), 1, 3, 4, 5),
        Ex("integer_lt", "17 and -1 are below 18; NULL is not.", NumberPeople, Prop("age", LessThan, Num(18)), 1, 5),
        Ex("integer_lte", "17, 18 and -1.", NumberPeople, Prop("age", LessOrEqual, Num(18)), 1, 2, 5),
        Ex("integer_gt", "Only 30.", NumberPeople, Prop("age", GreaterThan, Num(18)), 4),
        Ex("integer_gte", "18 and 30.", NumberPeople, Prop("age", GreaterOrEqual, Num(18)), 2, 4),
        Ex("integer_between_inclusive", "17 ≤ age ≤ 18 includes both ends.", NumberPeople, Prop("age", Range(Between, Num(17), Num(18))), 1, 2),
        Ex("integer_in", "17 or 30.", NumberPeople, Prop("age", List(In, Num(17), Num(30))), 1, 4),
        Ex("integer_not_in", "Complement of in [17, 30], NULL included.", NumberPeople, Prop("age", List(NotIn, Num(17), Num(30))), 2, 3, 5),
        Ex("integer_is_set", "Non-NULL ages.", NumberPeople, Prop("age", IsSet), 1, 2, 4, 5),
        Ex("integer_is_not_set", "The NULL age.", NumberPeople, Prop("age", IsNotSet), 3),
        Ex("integer_against_fraction", "Compared exactly as decimals: 17 < 17.5, 18 is not.", NumberPeople, Prop("age", LessThan, Num(17.5m)), 1, 5),
        Ex("integer_equals_fraction_never", "No integer equals 17.5.", NumberPeople, Prop("age", Eq, Num(17.5m))),
        Ex("number_equals_ignores_scale", "10 and 10.00 are the same number.", NumberPeople, Prop("score", Eq, Num(10)), 2, 4),
        Ex("number_between_decimals", "0.1 ≤ score ≤ 9.5: 9.5 and 0.1.", NumberPeople, Prop("score", Range(Between, Num(0.1m), Num(9.5m))), 1, 5),
        Ex("number_gt_decimal", "score > 9.99: 10 and 10.00.", NumberPeople, Prop("score", GreaterThan, Num(9.99m)), 2, 4),
        Ex("number_lte_negative_literal", "age ≤ -1: only -1.", NumberPeople, Prop("age", LessOrEqual, Num(-1)), 5),
        Ex("number_ne_decimal", "score ≠ 0.1: everyone but 5, NULL included.", NumberPeople, Prop("score", NotEquals, Num(0.1m)), 1, 2, 3, 4),
        Ex("number_lt", "score < 9.5: only 0.1.", NumberPeople, Prop("score", LessThan, Num(9.5m)), 5),
        Ex("number_lte", "score ≤ 9.5: 9.5 and 0.1.", NumberPeople, Prop("score", LessOrEqual, Num(9.5m)), 1, 5),
        Ex("number_gte", "score ≥ 10: 10 and 10.00.", NumberPeople, Prop("score", GreaterOrEqual, Num(10)), 2, 4),
        Ex("number_in", "score in [0.1, 10]: 10, 10.00 and 0.1.", NumberPeople, Prop("score", List(In, Num(0.1m), Num(10))), 2, 4, 5),
        Ex("number_not_in", "Complement of in [0.1, 10]: 9.5 and NULL.", NumberPeople, Prop("score", List(NotIn, Num(0.1m), Num(10))), 1, 3),
        Ex("number_is_set", "Non-NULL scores.", NumberPeople, Prop("score", IsSet), 1, 2, 4, 5),
        Ex("number_is_not_set", "The NULL score.", NumberPeople, Prop("score", IsNotSet), 3),
    ];
}
