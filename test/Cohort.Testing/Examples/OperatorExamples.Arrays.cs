using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    // tags: 1 [vip, beta], 2 [beta], 3 [] (empty, set), 4 NULL, 5 [NULL, vip], 6 [NULL], 7 ["é" precomposed]
    private static readonly ReferenceDataset TagPeople = People(
        Person(1, ("tags", List("vip", "beta"))),
        Person(2, ("tags", List("beta"))),
        Person(3, ("tags", List())),
        Person(4),
        Person(5, ("tags", List(null, "vip"))),
        Person(6, ("tags", List([null]))),
        Person(7, ("tags", List("\u00E9"))));

    private static IEnumerable<OperatorExample> Arrays() =>
    [
        Ex("array_contains_any", "An element equals vip or gold: 1 and 5 (its NULL element is ignored).",
            TagPeople, Prop("tags", List(ContainsAny, Str("vip"), Str("gold"))), 1, 5),
        Ex("array_contains_all", "Both vip and beta are elements: only 1.",
            TagPeople, Prop("tags", List(ContainsAll, Str("vip"), Str("beta"))), 1),
        Ex("array_contains_all_single", "vip is an element of 1 and 5.",
            TagPeople, Prop("tags", List(ContainsAll, Str("vip"))), 1, 5),
        Ex("array_not_contains_any", "not contains_any: a NULL array makes contains_any false, so its negation is true.",
            TagPeople, Not(Prop("tags", List(ContainsAny, Str("vip")))), 2, 3, 4, 6, 7),
        Ex("array_is_set", "An empty array and arrays of NULLs are set.", TagPeople, Prop("tags", IsSet), 1, 2, 3, 5, 6, 7),
        Ex("array_is_not_set", "Only the NULL array.", TagPeople, Prop("tags", IsNotSet), 4),
        Ex("array_elements_not_normalised", "e + U+0301 is not the element U+00E9.",
            TagPeople, Prop("tags", List(ContainsAny, Str("e\u0301"))), []),
    ];
}
