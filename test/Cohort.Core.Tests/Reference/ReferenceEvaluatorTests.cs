using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Core.Tests.Reference;

public sealed class ReferenceEvaluatorTests
{
    private static readonly EvaluationContext Ctx = EvaluationContext.Utc(new DateTime(2026, 3, 15, 12, 0, 0, DateTimeKind.Utc));

    private static ReferenceEvaluator Evaluator(ReferenceDataset data, params AudienceDefinition[] audiences) =>
        new(TestSchema.Schema, data, audiences);

    private static readonly ReferenceDataset Shop = PeopleWithIds(3)
        .Orders(Order(1, 1, 10m, null, "2026-03-01T00:00:00Z"), Order(2, 1, 20m, "\U0001F600", "2026-03-02T00:00:00Z"),
            Order(3, 1, 10m, "\uFFFD", "2026-03-03T00:00:00Z"), Order(4, 2))
        .Products(Product(1, "shoes"), Product(2, "hats"))
        .Items(Item(1, 1), Item(2, 2), Item(3, 2));

    [Fact]
    public void Trait_values_have_the_documented_types()
    {
        var evaluator = Evaluator(Shop);
        var person1 = Shop.Rows("people")[0];
        var person3 = Shop.Rows("people")[2];
        object? Value(string trait, IReadOnlyDictionary<string, object?> row) => evaluator.TraitValue(TestSchema.GetTrait(trait), row, Ctx);

        Assert.Equal(3L, Value("order_count", person1));
        Assert.Equal(0L, Value("order_count", person3));
        Assert.Equal(0m, Value("lifetime_value", person3));                    // sum over none is 0
        Assert.Equal(40m / 3m, Value("avg_order_total", person1));             // rounded for display only
        Assert.Null(Value("avg_order_total", person3));
        Assert.Equal("\uFFFD", Value("lowest_status", person1));              // by code point
        Assert.Equal(2L, Value("category_count", person1));
        Assert.Equal(new object?[] { "hats", "shoes" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(Value("categories", person1)));
        Assert.Null(Value("categories", person3));
        Assert.Equal("hats", Value("top_category", person1));                 // distinct products: hats once, shoes once, tie
        Assert.Equal(Utc("2026-03-03T00:00:00Z"), Value("last_order_at", person1));
    }

    [Fact]
    public void Trait_types_follow_the_kind()
    {
        var evaluator = Evaluator(Shop);
        Assert.Equal(Cohort.Core.Schema.DataType.Integer, evaluator.TraitType(TestSchema.GetTrait("order_count")));
        Assert.Equal(Cohort.Core.Schema.DataType.Number, evaluator.TraitType(TestSchema.GetTrait("avg_order_total")));
        Assert.Equal(Cohort.Core.Schema.DataType.Timestamp, evaluator.TraitType(TestSchema.GetTrait("last_order_at")));
        Assert.Equal(Cohort.Core.Schema.DataType.ArrayOf(Cohort.Core.Schema.ScalarType.String), evaluator.TraitType(TestSchema.GetTrait("categories")));
    }

    [Fact]
    public void Block_counts_narrow_cumulatively()
    {
        var data = People(Person(1, ("age", 30L), ("country", "US")), Person(2, ("age", 30L)), Person(3, ("age", 10L), ("country", "US")));
        var audience = Audience("a", All(Prop("age", GreaterOrEqual, Num(18)), Prop("country", Eq, Str("US"))));
        Assert.Equal([2L, 1L], Evaluator(data).BlockCounts(audience, Ctx));
        Assert.Equal([2L], Evaluator(data).BlockCounts(Audience("b", Prop("country", Eq, Str("US"))), Ctx));
        Assert.Empty(Evaluator(data).BlockCounts(Audience("c", null), Ctx));
    }

    [Fact]
    public void Matches_evaluates_in_a_non_parent_context()
    {
        var evaluator = Evaluator(Shop);
        var order = Shop.Rows("orders")[0];
        Assert.True(evaluator.Matches(Relation("products", where: Prop("category", Eq, Str("shoes"))), TestSchema.Orders, order, Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Trait("order_count", Test(Eq, Num(1))), TestSchema.Orders, order, Ctx));
    }

    [Fact]
    public void Split_group_is_null_without_splits() =>
        Assert.Null(Evaluator(PeopleWithIds(1)).SplitGroup(Audience("a", null), 1L));

    [Fact]
    public void A_cycle_of_audiences_throws_instead_of_recursing()
    {
        var a = Audience("a", Member("b"));
        var b = Audience("b", null) with { Exclusions = ["a"] };
        Assert.Throws<InvalidOperationException>(() => Evaluator(PeopleWithIds(1), a, b).Members(a, Ctx));
    }

    [Fact]
    public void Unexpected_input_throws_rather_than_guessing()
    {
        var evaluator = Evaluator(PeopleWithIds(1), Audience("a", null));
        var people = TestSchema.People;
        var row = PeopleWithIds(1).Rows("people")[0];
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(new AllCondition([]), people, row, Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Member("missing"), people, row, Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Prop("nope", IsSet), people, row, Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Prop("country", Eq, Num(1)), people, Person(1, ("country", "US")), Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Prop("age", StartsWith, Str("1")), people, Person(1, ("age", 5L)), Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Prop("birthday", Relative(WithinLast, Hours(1))), people, Person(1, ("birthday", new DateOnly(2026, 1, 1))), Ctx));
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(
            Sequence([Step("cart")], notFollowedBy: Step("purchase")), people, row, Ctx)); // not_followed_by without within
        Assert.Throws<InvalidOperationException>(() => evaluator.Matches(Sequence([Step("view"), Step("cart", within: Months(1))]), people, row, Ctx));
    }

    [Theory]
    [MemberData(nameof(BadDatasets))]
    public void Datasets_that_do_not_fit_the_schema_are_rejected(string why, ReferenceDataset data) =>
        Assert.Throws<InvalidOperationException>(() => { _ = why; return Evaluator(data); });

    public static TheoryData<string, ReferenceDataset> BadDatasets() => new()
    {
        { "int instead of long", People(Person(1, ("age", 30))) },
        { "double instead of decimal", People(Person(1, ("score", 1.5))) },
        { "local timestamp", People(Person(1, ("signup_at", new DateTime(2026, 1, 1)))) },
        { "sub-microsecond timestamp", People(Person(1, ("signup_at", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1)))) },
        { "unknown column", People(Person(1, ("nope", "x"))) },
        { "unknown model", ReferenceDataset.Empty.With("nope", Person(1)) },
        { "duplicate key", People(Person(1), Person(1)) },
        { "NULL key", People(ReferenceDataset.Row(("name", "x"))) },
        { "array of the wrong element type", People(Person(1, ("tags", List(1L)))) },
        { "unpaired surrogate", People(Person(1, ("name", "\uD83D"))) },
    };
}
