using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// all / any / not, and how NULL flows through them: every condition is true or false, never unknown.
public static partial class OperatorExamples
{
    // 1 US/30, 2 US/NULL, 3 NULL/30, 4 GB/17
    private static readonly ReferenceDataset GroupPeople = People(
        Person(1, ("country", "US"), ("age", 30L)),
        Person(2, ("country", "US")),
        Person(3, ("age", 30L)),
        Person(4, ("country", "GB"), ("age", 17L)));

    private static IEnumerable<OperatorExample> Groups() =>
    [
        Ex("group_all", "country = US and age ≥ 18: only 1 (2's age is NULL).",
            GroupPeople, All(Prop("country", Eq, Str("US")), Prop("age", GreaterOrEqual, Num(18))), 1),
        Ex("group_any", "country = US or age ≥ 18.",
            GroupPeople, Any(Prop("country", Eq, Str("US")), Prop("age", GreaterOrEqual, Num(18))), 1, 2, 3),
        Ex("group_not_includes_null", "not (country = US) includes the NULL country, like not_equals.",
            GroupPeople, Not(Prop("country", Eq, Str("US"))), 3, 4),
        Ex("group_not_of_all", "not (US and age ≥ 18): every row but 1; NULLs make the inner test false, so the negation true.",
            GroupPeople, Not(All(Prop("country", Eq, Str("US")), Prop("age", GreaterOrEqual, Num(18)))), 2, 3, 4),
        Ex("group_not_of_negative_operator", "not (age ne 30) = age = 30: NULL ages are excluded again.",
            GroupPeople, Not(Prop("age", NotEquals, Num(30))), 1, 3),
        Ex("group_double_negation", "not not X = X.",
            GroupPeople, Not(Not(Prop("age", GreaterOrEqual, Num(18)))), 1, 3),
        Ex("group_nested", "any(all(US, age ≥ 18), age is_not_set).",
            GroupPeople, Any(All(Prop("country", Eq, Str("US")), Prop("age", GreaterOrEqual, Num(18))), Prop("age", IsNotSet)), 1, 2),
        Ex("group_single_child", "A group of one is its child.",
            GroupPeople, All(Prop("country", Eq, Str("GB"))), 4),
    ];
}
