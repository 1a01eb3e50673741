using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Sections 11 and 12: membership, exclusions, limits and splits.
public static partial class OperatorExamples
{
    // 1: age 30, score 5, vip | 2: age 17, no score | 3: age 40, score 7 | 4: age 25, score 7, vip | 5: no age, score 1 | 6: age 18, score 9
    private static readonly ReferenceDataset Members = People(
        Person(1, ("age", 30L), ("score", 5m), ("vip", true)),
        Person(2, ("age", 17L)),
        Person(3, ("age", 40L), ("score", 7m)),
        Person(4, ("age", 25L), ("score", 7m), ("vip", true)),
        Person(5, ("score", 1m)),
        Person(6, ("age", 18L), ("score", 9m)));

    private static readonly AudienceDefinition Adults = Audience("adults", Prop("age", GreaterOrEqual, Num(18)));           // 1, 3, 4, 6
    private static readonly AudienceDefinition Vips = Audience("vips", Prop("vip", IsTrue));                                  // 1, 4
    private static readonly AudienceDefinition AdultsNotVip = Audience("adults_not_vip", Prop("age", GreaterOrEqual, Num(18))) with { Exclusions = ["vips"] }; // 3, 6
    private static readonly AudienceDefinition TopTwo = Limited("top_two", null, 2, Desc("score"));                       // 6, 3

    private static OrderTerm Desc(string column) => new(OrderSource.Column, column, true);

    private static OrderTerm Asc(string column) => new(OrderSource.Column, column, false);

    private static AudienceDefinition Limited(string name, Condition? condition, long size, params OrderTerm[] order) =>
        Audience(name, condition) with { Limit = new SizeLimit(size, [.. order]) };

    private static OperatorExample Aud(string name, string why, ReferenceDataset data, AudienceDefinition audience, params long[] expected) =>
        new(name, why, data, audience, [.. expected.Select(k => (object)k)]) { OtherAudiences = [Adults, Vips, AdultsNotVip, TopTwo] };

    private static IEnumerable<OperatorExample> Audiences() =>
    [
        Aud("audience_member", "Members of adults (age ≥ 18).", Members, Audience("example", Member("adults")), 1, 3, 4, 6),
        Aud("audience_not_member", "member: false, including the NULL age.", Members, Audience("example", Member("adults", member: false)), 2, 5),
        Aud("audience_exclusion", "adults minus vips.", Members, AdultsNotVip with { Name = "example" }, 3, 6),
        Aud("audience_member_of_audience_with_exclusion", "Membership is after the other audience's exclusions: 3, 6; or score < 2: 5.",
            Members, Audience("example", Any(Member("adults_not_vip"), Prop("score", LessThan, Num(2)))), 3, 5, 6),
        Aud("audience_member_of_limited_audience", "Membership is after the other audience's limit: top_two by score is 6 (9) and 3 (7, ties with 4 broken by key).",
            Members, Audience("example", Member("top_two")), 3, 6),
        Aud("audience_no_condition", "No condition: every row with a key.", Members, Audience("example", null), 1, 2, 3, 4, 5, 6),
        Aud("audience_no_condition_with_exclusion", "Everyone but the vips.", Members, Audience("example", null) with { Exclusions = ["vips"] }, 2, 3, 5, 6),
        Aud("audience_several_exclusions", "Everyone minus vips minus adults_not_vip.", Members,
            Audience("example", null) with { Exclusions = ["vips", "adults_not_vip"] }, 2, 5),
        Aud("limit_order_desc_ties_by_key", "score desc: 6 (9), then 3 and 4 tie at 7 and the smaller key wins.",
            Members, Limited("example", null, 2, Desc("score")), 3, 6),
        Aud("limit_order_desc_nulls_last", "score desc, 5 rows: 6, 3, 4, 1, 5; NULL (2) sorts last even descending.",
            Members, Limited("example", null, 5, Desc("score")), 1, 3, 4, 5, 6),
        Aud("limit_order_asc_nulls_last", "age asc, 5 rows: 2 (17), 6, 4, 1, 3; NULL (5) last.",
            Members, Limited("example", null, 5, Asc("age")), 1, 2, 3, 4, 6),
        Aud("limit_order_two_terms", "vip desc (true first, NULLs last) then age asc: 4 (25), 1 (30) are the vips; then NULL-vip rows by age: 2 (17).",
            Members, Limited("example", null, 3, Desc("vip"), Asc("age")), 1, 2, 4),
        Aud("limit_after_exclusion", "adults minus vips, oldest first, 1 row: 3.",
            Members, Limited("example", Prop("age", GreaterOrEqual, Num(18)), 1, Desc("age")) with { Exclusions = ["vips"] }, 3),
        Aud("limit_zero", "A size of 0 keeps nobody.", Members, Limited("example", null, 0, Desc("score"))),
        Aud("limit_by_trait", "lifetime_value desc: 2 and 3 tie at 300, so the smaller key, 2.",
            PeopleWithIds(3).Orders(Order(1, 1, 100m, "completed"), Order(2, 2, 300m, "completed"), Order(3, 3, 300m, "completed")),
            Limited("example", null, 1, new OrderTerm(OrderSource.Trait, "lifetime_value", true)), 2),
        Aud("limit_without_order_takes_lowest_buckets",
            "No order_by: by split bucket, salt = the audience name 'sample'. md5(\"sample:k\") buckets: 1→8232 2→2699 3→6503 4→2092 5→1011 6→1262.",
            Members, Limited("sample", null, 3), 4, 5, 6),
        new OperatorExample("splits_fifty_fifty",
            "salt spring: buckets 1→6451 2→8771 3→8081 4→5385 5→3325 6→2231; treatment takes 0..4999, control 5000..9999. Splits do not change membership.",
            Members,
            Audience("split_ab", null) with { Splits = new SplitDefinition("spring", [new("treatment", 50), new("control", 50)]) },
            [1L, 2L, 3L, 4L, 5L, 6L])
        {
            ExpectedGroups = Groups((1, "control"), (2, "control"), (3, "control"), (4, "control"), (5, "treatment"), (6, "treatment")),
        },
        new OperatorExample("splits_with_two_decimal_percentages",
            "salt holdout_test: buckets 1→2451 2→2204 3→7667 4→5154 5→6411 6→4093 7→6212 8→1472; a 25.5% = 0..2549, b 40.25% = 2550..6574, c 34.25% = 6575..9999.",
            PeopleWithIds(8),
            Audience("split_abc", null) with
            {
                Splits = new SplitDefinition("holdout_test", [new("a", 25.5m), new("b", 40.25m), new("c", 34.25m, Holdout: true)]),
            },
            [1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L])
        {
            ExpectedGroups = Groups((1, "a"), (2, "a"), (3, "c"), (4, "b"), (5, "b"), (6, "b"), (7, "b"), (8, "a")),
        },
        new OperatorExample("limit_without_order_uses_split_salt",
            "With splits, the limit's bucket order uses the split salt (spring): 6→2231 and 5→3325 are lowest.",
            Members,
            Limited("limited_split", null, 2) with { Splits = new SplitDefinition("spring", [new("treatment", 50), new("control", 50)]) },
            [5L, 6L])
        {
            ExpectedGroups = Groups((5, "treatment"), (6, "treatment")),
        },
    ];

    private static ImmutableDictionary<object, string> Groups(params (long Key, string Group)[] groups) =>
        groups.ToImmutableDictionary(g => (object)g.Key, g => g.Group);
}
