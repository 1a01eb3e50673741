using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

/// <summary>read(write(x)) has the same canonical JSON as x, in YAML and in JSON, for every node and operand kind.</summary>
public sealed class RoundTripTests
{
    private static Literal S(string value) => new Literal.String(value);
    private static Literal N(decimal value) => new Literal.Number(value);
    private static Duration D(long amount, TimeUnit unit) => new(amount, unit);
    private static PropertyTest T(PropertyOperator op, Operand operand) => new(op, operand);
    private static PropertyTest T(PropertyOperator op, Literal value) => new(op, new Operand.Value(value));
    private static PropertyCondition P(string column, PropertyTest test) => new(column, test);

    private static readonly Condition Country = P("country", T(PropertyOperator.Equals, S("US")));

    public static TheoryData<string, Condition> Conditions() => new()
    {
        { "equals text", Country },
        { "text that looks like a number", P("zip", T(PropertyOperator.Equals, S("00123"))) },
        { "quoted number text", P("zip", T(PropertyOperator.Equals, S("123"))) },
        { "text that looks like a boolean", P("answer", T(PropertyOperator.Equals, S("true"))) },
        { "yaml 1.1 boolean word", P("answer", T(PropertyOperator.Equals, S("yes"))) },
        { "null-looking text", P("note", T(PropertyOperator.Equals, S("null"))) },
        { "empty text", P("note", T(PropertyOperator.Equals, S(""))) },
        { "text with yaml indicators", P("email", T(PropertyOperator.Contains, S("@gmail.: #x"))) },
        { "text with quotes and newline", P("note", T(PropertyOperator.Equals, S("it's \"quoted\"\nsecond line"))) },
        { "text with spaces around", P("note", T(PropertyOperator.Equals, S("  padded "))) },
        { "unicode text", P("city", T(PropertyOperator.Equals, S("Zürich €"))) },
        { "number", P("visits", T(PropertyOperator.GreaterOrEqual, N(3))) },
        { "negative decimal", P("balance", T(PropertyOperator.LessThan, N(-12.50m))) },
        { "boolean", P("consent", T(PropertyOperator.Equals, new Literal.Boolean(false))) },
        { "not equals", P("plan", T(PropertyOperator.NotEquals, S("free"))) },
        { "in", P("country", T(PropertyOperator.In, new Operand.Values([S("US"), S("CA"), N(7)]))) },
        { "not in", P("country", T(PropertyOperator.NotIn, new Operand.Values([S("US")]))) },
        { "starts with", P("phone", T(PropertyOperator.StartsWith, S("+44"))) },
        { "ends with", P("email", T(PropertyOperator.EndsWith, S(".de"))) },
        { "not contains", P("email", T(PropertyOperator.NotContains, S("+test"))) },
        { "is set", P("email", T(PropertyOperator.IsSet, Operand.None.Instance)) },
        { "is not set", P("email", T(PropertyOperator.IsNotSet, Operand.None.Instance)) },
        { "is true", P("consent", T(PropertyOperator.IsTrue, Operand.None.Instance)) },
        { "is false", P("consent", T(PropertyOperator.IsFalse, Operand.None.Instance)) },
        { "lte", P("age", T(PropertyOperator.LessOrEqual, N(65))) },
        { "gt", P("age", T(PropertyOperator.GreaterThan, N(18))) },
        { "between numbers", P("age", T(PropertyOperator.Between, new Operand.Range(N(18), N(34)))) },
        { "before date", P("signup_date", T(PropertyOperator.Before, S("2026-01-01"))) },
        { "after timestamp", P("last_seen_at", T(PropertyOperator.After, S("2026-01-01T09:30:00Z"))) },
        { "on date", P("signup_date", T(PropertyOperator.On, S("2026-02-14"))) },
        { "between dates", P("signup_date", T(PropertyOperator.Between, new Operand.Range(S("2026-01-01"), S("2026-01-31")))) },
        { "within last", P("last_login", T(PropertyOperator.WithinLast, new Operand.Relative(D(7, TimeUnit.Day)))) },
        { "within last one hour", P("last_login", T(PropertyOperator.WithinLast, new Operand.Relative(D(1, TimeUnit.Hour)))) },
        { "more than ago", P("last_login", T(PropertyOperator.MoreThanAgo, new Operand.Relative(D(90, TimeUnit.Day)))) },
        { "between ago", P("last_order_at", T(PropertyOperator.BetweenAgo, new Operand.RelativeRange(D(30, TimeUnit.Day), D(60, TimeUnit.Day)))) },
        { "within next", P("renews_at", T(PropertyOperator.WithinNext, new Operand.Relative(D(2, TimeUnit.Week)))) },
        { "anniversary", P("birthday", T(PropertyOperator.AnniversaryWithinNext, new Operand.Relative(D(7, TimeUnit.Day)))) },
        { "seconds minutes months years", new AllCondition([
            P("a", T(PropertyOperator.WithinLast, new Operand.Relative(D(30, TimeUnit.Second)))),
            P("b", T(PropertyOperator.WithinLast, new Operand.Relative(D(1, TimeUnit.Minute)))),
            P("c", T(PropertyOperator.WithinLast, new Operand.Relative(D(6, TimeUnit.Month)))),
            P("d", T(PropertyOperator.WithinLast, new Operand.Relative(D(1, TimeUnit.Year))))]) },
        { "negative duration (reported by the validator, kept by the reader)", P("a", T(PropertyOperator.WithinLast, new Operand.Relative(D(-3, TimeUnit.Day)))) },
        { "day of week", P("signup_date", T(PropertyOperator.DayOfWeek, new Operand.Days([DayOfWeek.Saturday, DayOfWeek.Sunday]))) },
        { "contains any", P("tags", T(PropertyOperator.ContainsAny, new Operand.Values([S("vip"), S("beta")]))) },
        { "contains all", P("tags", T(PropertyOperator.ContainsAll, new Operand.Values([S("vip")]))) },
        { "all", new AllCondition([Country, P("plan", T(PropertyOperator.Equals, S("pro")))]) },
        { "any", new AnyCondition([Country, new AudienceCondition("vip", true)]) },
        { "empty any (reported by the validator, kept by the reader)", new AnyCondition([]) },
        { "not", new NotCondition(Country) },
        { "nested groups", new AllCondition([new AnyCondition([new NotCondition(new AllCondition([Country]))])]) },
        { "trait", new TraitCondition("lifetime_value", T(PropertyOperator.GreaterOrEqual, N(500))) },
        { "trait list", new TraitCondition("favourite_categories", T(PropertyOperator.ContainsAny, new Operand.Values([S("shoes")]))) },
        { "audience member", new AudienceCondition("vip", true) },
        { "audience not member", new AudienceCondition("vip", false) },
        { "event default", new EventCondition(null, ["Order Completed"], null, TimeWindow.Ever.Instance, Measure.Performed) },
        { "event names model where", new EventCondition("events", ["Order Completed", "Subscription Started"], P("revenue", T(PropertyOperator.GreaterOrEqual, N(20))),
            new TimeWindow.WithinLast(D(30, TimeUnit.Day)), Measure.Performed) },
        { "event not performed", new EventCondition(null, ["Order Completed"], null, new TimeWindow.WithinLast(D(90, TimeUnit.Day)), new Measure.Count(CountComparator.None)) },
        { "event count at least", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Count(new CountComparator(CountOperator.AtLeast, 3))) },
        { "event count at most", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Count(new CountComparator(CountOperator.AtMost, 2))) },
        { "event count exactly", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Count(new CountComparator(CountOperator.Exactly, 5))) },
        { "event count between", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Count(new CountComparator(CountOperator.Between, 2, 4))) },
        { "event between ago", new EventCondition(null, ["A"], null, new TimeWindow.BetweenAgo(D(30, TimeUnit.Day), D(60, TimeUnit.Day)), Measure.Performed) },
        { "event during", new EventCondition(null, ["A"], null, new TimeWindow.Absolute(S("2026-11-27"), S("2026-11-30T23:59:59Z")), Measure.Performed) },
        { "event aggregate sum", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance,
            new Measure.Aggregate(AggregateFunction.Sum, "revenue", T(PropertyOperator.GreaterOrEqual, N(100)))) },
        { "event aggregate avg between", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance,
            new Measure.Aggregate(AggregateFunction.Avg, "revenue", T(PropertyOperator.Between, new Operand.Range(N(20), N(50))))) },
        { "event aggregate min max", new AnyCondition([
            new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Aggregate(AggregateFunction.Min, "r", T(PropertyOperator.LessThan, N(1)))),
            new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance, new Measure.Aggregate(AggregateFunction.Max, "r", T(PropertyOperator.NotEquals, N(0))))]) },
        { "event first occurred", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance,
            new Measure.FirstOccurrence(T(PropertyOperator.WithinLast, new Operand.Relative(D(30, TimeUnit.Day))))) },
        { "event last occurred", new EventCondition(null, ["A"], null, TimeWindow.Ever.Instance,
            new Measure.LastOccurrence(T(PropertyOperator.MoreThanAgo, new Operand.Relative(D(14, TimeUnit.Day))))) },
        { "sequence", new SequenceCondition(
            [new SequenceStep(null, ["Product Viewed"], null, null),
             new SequenceStep("events", ["Added to Cart"], P("url", T(PropertyOperator.Contains, S("shoes"))), D(1, TimeUnit.Hour)),
             new SequenceStep(null, ["Checkout Started", "Order Completed"], null, null)],
            D(1, TimeUnit.Day), new TimeWindow.WithinLast(D(7, TimeUnit.Day)), null) },
        { "sequence not followed by", new SequenceCondition([new SequenceStep(null, ["Added to Cart"], null, null)], null,
            new TimeWindow.WithinLast(D(24, TimeUnit.Hour)), new SequenceStep("events", ["Order Completed"], Country, D(1, TimeUnit.Hour))) },
        { "relation", new RelationCondition(["orders"], null, TimeWindow.Ever.Instance, Measure.Performed) },
        { "relation dotted path where window count", new RelationCondition(["orders", "products"], P("category", T(PropertyOperator.Equals, S("shoes"))),
            new TimeWindow.WithinLast(D(365, TimeUnit.Day)), new Measure.Count(new CountComparator(CountOperator.AtLeast, 2))) },
        { "relation path with a dotted name", new RelationCondition(["odd.name", "items"], null, TimeWindow.Ever.Instance, Measure.Performed) },
        { "relation aggregate", new RelationCondition(["orders"], null, TimeWindow.Ever.Instance,
            new Measure.Aggregate(AggregateFunction.Sum, "total", T(PropertyOperator.GreaterOrEqual, N(500)))) },
        { "relation nested relation and event", new RelationCondition(["orders"],
            new AllCondition([new RelationCondition(["products"], Country, TimeWindow.Ever.Instance, Measure.Performed),
                              new EventCondition(null, ["Refund"], null, TimeWindow.Ever.Instance, new Measure.Count(CountComparator.None))]),
            TimeWindow.Ever.Instance, new Measure.Count(new CountComparator(CountOperator.AtLeast, 2))) },
        { "relation not performed", new RelationCondition(["orders"], null, new TimeWindow.BetweenAgo(D(1, TimeUnit.Week), D(2, TimeUnit.Week)), new Measure.Count(CountComparator.None)) },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Condition_survives_yaml(string name, Condition condition)
    {
        var yaml = AudienceWriter.ToYaml(condition);
        Assert.True(CanonicalJson.Of(condition) == CanonicalJson.Of(Read.Condition(yaml)), $"{name}:\n{yaml}");
    }

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Condition_survives_json(string name, Condition condition)
    {
        var json = AudienceWriter.ToJson(condition);
        Assert.True(CanonicalJson.Of(condition) == CanonicalJson.Of(Read.Condition(json, DocumentFormat.Json)), $"{name}:\n{json}");
    }

    public static TheoryData<string, AudienceDefinition> Audiences() => new()
    {
        { "minimal", new AudienceDefinition("everyone", "customers", null) },
        { "everything", new AudienceDefinition("high_value", "customers", new AllCondition([Country, new AudienceCondition("vip", false)]),
            ["unsubscribed", "employees"],
            new SizeLimit(5000, [new OrderTerm(OrderSource.Trait, "lifetime_value", true), new OrderTerm(OrderSource.Column, "visits", false)]),
            new SplitDefinition("spring-test", [new SplitGroup("treatment", 89.5m), new SplitGroup("holdout", 10.5m, true)]),
            "Spent 500+ in the last year", ["retention", "q4"], "lifecycle") },
        { "splits with default salt", new AudienceDefinition("ab", "customers", Country,
            Splits: new SplitDefinition("ab", [new SplitGroup("a", 50), new SplitGroup("b", 50)])) },
        { "limit without order", new AudienceDefinition("sample", "customers", Country, Limit: new SizeLimit(100, [])) },
        { "name needing quotes", new AudienceDefinition("123", "customers", null, Description: "multi\nline") },
    };

    [Theory]
    [MemberData(nameof(Audiences))]
    public void Audience_survives_yaml_and_json(string name, AudienceDefinition audience)
    {
        var yaml = AudienceWriter.ToYaml(audience);
        Assert.True(CanonicalJson.Of(audience) == CanonicalJson.Of(Read.Audience(yaml, "other.yaml")), $"{name}:\n{yaml}");
        var json = AudienceWriter.ToJson(audience);
        Assert.True(CanonicalJson.Of(audience) == CanonicalJson.Of(Read.Audience(json, "other.json")), $"{name}:\n{json}");
    }

    [Fact]
    public void Bound_audiences_bind_to_the_same_definition_after_a_round_trip()
    {
        var file = Fixtures.PathOf("valid.audience.yaml");
        var bound = Bind(Read.Audience(File.ReadAllText(file), "valid.yaml"));
        foreach (var format in new[] { DocumentFormat.Yaml, DocumentFormat.Json })
        {
            var text = AudienceWriter.Write(bound, format);
            var again = Bind(Read.Audience(text, format == DocumentFormat.Yaml ? "valid.yaml" : "valid.json"));
            Assert.Equal(CanonicalJson.Of(bound), CanonicalJson.Of(again));
        }
    }

    [Fact]
    public void Bound_dates_and_timestamps_are_written_as_iso_text()
    {
        var bound = Bind(Read.Audience("""
            name: t
            model: customers
            condition:
              all:
                - {property: signup_date, after: 2026-01-05}
                - {property: last_seen_at, before: "2026-03-01T10:30:00.5+01:00"}
            """));
        var yaml = AudienceWriter.ToYaml(bound);
        Assert.Contains("after: 2026-01-05}", yaml, StringComparison.Ordinal);
        Assert.Contains("2026-03-01T09:30:00.5Z", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_uses_the_shortest_idiomatic_forms()
    {
        var audience = Read.Audience("""
            name: lapsed
            model: customers
            condition:
              all:
                - event: Order Completed
                - event: [Order Completed]
                  within_last: {amount: 90, unit: days}
                  count: {exactly: 0}
                - {property: zip, equals: '00123'}
                - {property: zip, equals: '123'}
                - relation: [orders, products]
                  count: {at_least: 1}
            splits: {salt: lapsed, groups: [{name: a, percent: 100, holdout: false}]}
            """);
        Assert.Equal("""
            name: lapsed
            model: customers
            condition:
              all:
                - {event: Order Completed}
                - {event: Order Completed, within_last: 90 days, performed: false}
                - {property: zip, equals: 00123}
                - {property: zip, equals: "123"}
                - {relation: orders.products}
            splits:
              groups:
                - {name: a, percent: 100}

            """, AudienceWriter.ToYaml(audience));
        Assert.Equal("""
            {
              "name": "lapsed",
              "model": "customers",
              "condition": {
                "all": [
                  {"event": "Order Completed"},
                  {"event": "Order Completed", "within_last": "90 days", "performed": false},
                  {"property": "zip", "equals": "00123"},
                  {"property": "zip", "equals": "123"},
                  {"relation": "orders.products"}
                ]
              },
              "splits": {
                "groups": [
                  {"name": "a", "percent": 100}
                ]
              }
            }

            """, AudienceWriter.ToJson(audience));
    }

    [Fact]
    public void Every_operator_has_a_written_spelling_that_reads_back()
    {
        foreach (var op in Enum.GetValues<PropertyOperator>())
            Assert.Equal(op, OperatorCatalog.ByName[OperatorCatalog.NameOf(op)]);
    }

    private static AudienceDefinition Bind(AudienceDefinition audience)
    {
        var diagnostics = new DiagnosticBag();
        var bound = AudienceValidator.Validate(audience, Fixtures.Schema, [.. Fixtures.Library, audience], diagnostics);
        Assert.True(diagnostics.Items.Count == 0, string.Join("\n", diagnostics.Items));
        return bound;
    }
}
