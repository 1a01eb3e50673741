using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    // country: 1 "US", 2 "GB", 3 NULL, 4 "" (empty, but set), 5 "us" (case differs)
    // name:    1 "Ana", 2 "Dan", 3 NULL, 4 "",              5 "ANA"
    private static readonly ReferenceDataset StringPeople = People(
        Person(1, ("country", "US"), ("name", "Ana")),
        Person(2, ("country", "GB"), ("name", "Dan")),
        Person(3),
        Person(4, ("country", ""), ("name", "")),
        Person(5, ("country", "us"), ("name", "ANA")));

    // name: 1 "é" precomposed (U+00E9), 2 "e" + U+0301 combining acute, 3 "😀 smile" (non-BMP first),
    //       4 "smile 😀", 5 "\uFF61" (a BMP char above the surrogate range)
    private static readonly ReferenceDataset UnicodePeople = People(
        Person(1, ("name", "\u00E9")),
        Person(2, ("name", "e\u0301")),
        Person(3, ("name", "\U0001F600 smile")),
        Person(4, ("name", "smile \U0001F600")),
        Person(5, ("name", "\uFF61")));

    private static IEnumerable<OperatorExample> Strings() =>
    [
        Ex("string_equals", "Exact and case-sensitive: only \"US\"; \"us\" differs and NULL is false.",
            StringPeople, Prop("country", Eq, Str("US")), 1),
        Ex("string_not_equals", "Complement of equals, so NULL (3) is in, as are \"\" and \"us\".",
            StringPeople, Prop("country", NotEquals, Str("US")), 2, 3, 4, 5),
        Ex("string_in", "US and GB are listed; \"us\" is not.",
            StringPeople, Prop("country", List(In, Str("US"), Str("GB"))), 1, 2),
        Ex("string_not_in", "Complement of in: \"\", \"us\" and NULL.",
            StringPeople, Prop("country", List(NotIn, Str("US"), Str("GB"))), 3, 4, 5),
        Ex("string_contains", "\"Dan\" contains \"an\"; \"Ana\" has \"An\" and \"na\", not \"an\".",
            StringPeople, Prop("name", Contains, Str("an")), 2),
        Ex("string_contains_empty_matches_every_non_null", "An empty needle matches every non-NULL value, the empty string too.",
            StringPeople, Prop("name", Contains, Str("")), 1, 2, 4, 5),
        Ex("string_not_contains", "Complement of contains \"an\": everyone but Dan, NULL included.",
            StringPeople, Prop("name", NotContains, Str("an")), 1, 3, 4, 5),
        Ex("string_starts_with", "\"Ana\" and \"ANA\" begin with \"A\".",
            StringPeople, Prop("name", StartsWith, Str("A")), 1, 5),
        Ex("string_ends_with", "Only \"Ana\" ends with lower-case \"na\".",
            StringPeople, Prop("name", EndsWith, Str("na")), 1),
        Ex("string_is_set", "Every non-NULL value, the empty string included.",
            StringPeople, Prop("name", IsSet), 1, 2, 4, 5),
        Ex("string_is_not_set", "Only the NULL name.",
            StringPeople, Prop("name", IsNotSet), 3),
        Ex("string_no_normalisation", "Precomposed U+00E9 and e + U+0301 look alike but are different code points.",
            UnicodePeople, Prop("name", Eq, Str("\u00E9")), 1),
        Ex("string_combining_mark_is_its_own_code_point", "Only the decomposed form contains U+0301.",
            UnicodePeople, Prop("name", Contains, Str("\u0301")), 2),
        Ex("string_starts_with_non_bmp", "A character outside the BMP is one code point (two UTF-16 units).",
            UnicodePeople, Prop("name", StartsWith, Str("\U0001F600")), 3),
        Ex("string_ends_with_non_bmp", "Only \"smile 😀\" ends with the emoji.",
            UnicodePeople, Prop("name", EndsWith, Str("\U0001F600")), 4),
        Ex("string_in_non_bmp_and_high_bmp", "in compares whole values: U+FF61 and the emoji string are listed.",
            UnicodePeople, Prop("name", List(In, Str("\uFF61"), Str("smile \U0001F600"))), 4, 5),
    ];
}
