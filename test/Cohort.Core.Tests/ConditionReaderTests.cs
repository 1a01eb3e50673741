using Cohort.Core.Audiences;
using Cohort.Core.Documents;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

public sealed class ConditionReaderTests
{
    private static PropertyTest TestOf(string yaml) => ((PropertyCondition)Read.Condition(yaml)).Test;

    private static Literal ValueOf(string yaml) => ((Operand.Value)TestOf(yaml).Operand).Literal;

    [Fact]
    public void A_list_where_one_condition_is_expected_means_all()
    {
        var condition = Read.Condition("- {property: a, equals: x}\n- {property: b, equals: y}\n");
        var all = Assert.IsType<AllCondition>(condition);
        Assert.Equal(2, all.Conditions.Length);
        Assert.Equal(1, all.Location!.Line);
    }

    [Fact]
    public void Every_condition_node_gets_its_location()
    {
        var all = (AllCondition)Read.Condition("all:\n  - {property: a, equals: x}\n  - not:\n      audience: vip\n");
        Assert.Equal(("test.yaml", 1, 1, ""), (all.Location!.File, all.Location.Line, all.Location.Column, all.Location.Path));
        Assert.Equal((2, 5, "all[0]"), (all.Conditions[0].Location!.Line, all.Conditions[0].Location!.Column, all.Conditions[0].Location!.Path));
        var not = (NotCondition)all.Conditions[1];
        Assert.Equal("all[1].not", not.Inner.Location!.Path);
        Assert.Equal(4, not.Inner.Location.Line);
    }

    [Theory]
    [InlineData("eq", PropertyOperator.Equals)]
    [InlineData("equals", PropertyOperator.Equals)]
    [InlineData("ne", PropertyOperator.NotEquals)]
    [InlineData("not_equals", PropertyOperator.NotEquals)]
    [InlineData("lt", PropertyOperator.LessThan)]
    [InlineData("lte", PropertyOperator.LessOrEqual)]
    [InlineData("gt", PropertyOperator.GreaterThan)]
    [InlineData("gte", PropertyOperator.GreaterOrEqual)]
    [InlineData("before", PropertyOperator.Before)]
    [InlineData("on", PropertyOperator.On)]
    public void Operator_spellings_map_to_one_operator(string key, PropertyOperator expected) =>
        Assert.Equal(expected, TestOf($"{{property: v, {key}: 3}}").Operator);

    [Theory]
    [InlineData("is_set: true", PropertyOperator.IsSet)]
    [InlineData("is_set: false", PropertyOperator.IsNotSet)]
    [InlineData("is_not_set: true", PropertyOperator.IsNotSet)]
    [InlineData("is_not_set: false", PropertyOperator.IsSet)]
    [InlineData("is_true: true", PropertyOperator.IsTrue)]
    public void Presence_flags_read_false_as_the_complement(string test, PropertyOperator expected)
    {
        var read = TestOf($"{{property: v, {test}}}");
        Assert.Equal(new PropertyTest(expected, Operand.None.Instance), read);
    }

    [Fact]
    public void Is_true_false_is_rejected_rather_than_guessed() =>
        Assert.Equal("COH105", Read.Codes(Read.ConditionDiagnostics("{property: v, is_true: false}")));

    [Fact]
    public void Plain_literals_are_typed_by_their_text_and_quoted_ones_stay_text()
    {
        Assert.Equal(new Literal.Number(123), ValueOf("{property: v, equals: 123}"));
        Assert.Equal(new Literal.String("00123"), ValueOf("{property: v, equals: 00123}"));
        Assert.Equal(new Literal.String("123"), ValueOf("{property: v, equals: '123'}"));
        Assert.Equal(new Literal.Boolean(true), ValueOf("{property: v, equals: true}"));
        Assert.Equal(new Literal.String("2026-01-05"), ValueOf("{property: v, equals: 2026-01-05}"));
        Assert.Equal(new Literal.Number(1.5m), ValueOf("{\"property\": \"v\", \"equals\": 1.5}"));
        Assert.Equal(new Literal.String("5"), ((Operand.Value)((PropertyCondition)Read.Condition("{\"property\": \"v\", \"equals\": \"5\"}", DocumentFormat.Json)).Test.Operand).Literal);
    }

    [Theory]
    [InlineData("30 days", 30, TimeUnit.Day)]
    [InlineData("1 day", 1, TimeUnit.Day)]
    [InlineData("1 hour", 1, TimeUnit.Hour)]
    [InlineData("2 Weeks", 2, TimeUnit.Week)]
    [InlineData("{amount: 3, unit: month}", 3, TimeUnit.Month)]
    [InlineData("{amount: 10, unit: seconds}", 10, TimeUnit.Second)]
    [InlineData("-5 minutes", -5, TimeUnit.Minute)]
    public void Durations_read_in_both_forms_with_singular_or_plural_units(string written, long amount, TimeUnit unit) =>
        Assert.Equal(new Operand.Relative(new Duration(amount, unit)), TestOf($"{{property: v, within_last: {written}}}").Operand);

    [Fact]
    public void Unknown_time_unit_suggests_the_nearest()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{property: v, within_last: 3 dayz}"));
        Assert.Equal("COH105", error.Code);
        Assert.Contains("days", error.Suggestions);
    }

    [Fact]
    public void Ranges_and_relative_ranges_read_as_pairs()
    {
        Assert.Equal(new Operand.Range(new Literal.Number(18), new Literal.Number(34)), TestOf("{property: age, between: [18, 34]}").Operand);
        Assert.Equal(new Operand.RelativeRange(new Duration(30, TimeUnit.Day), new Duration(60, TimeUnit.Day)),
            TestOf("{property: v, between_ago: [30 days, 60 days]}").Operand);
        Assert.Equal("COH105", Read.Codes(Read.ConditionDiagnostics("{property: age, between: [18]}")));
    }

    [Fact]
    public void Day_lists_accept_long_and_short_names()
    {
        var days = (Operand.Days)TestOf("{property: d, day_of_week: [saturday, Sun, mon]}").Operand;
        Assert.Equal<DayOfWeek>([DayOfWeek.Saturday, DayOfWeek.Sunday, DayOfWeek.Monday], days.DaysOfWeek);
        var error = Assert.Single(Read.ConditionDiagnostics("{property: d, day_of_week: [satruday]}"));
        Assert.Equal(("COH105", "saturday"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Null_in_a_value_list_is_reported()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{property: country, in: [US, null]}"));
        Assert.Equal(("COH327", "in[1]"), (error.Code, error.Location!.Path));
    }

    [Fact]
    public void Event_defaults_to_ever_and_performed()
    {
        var e = (EventCondition)Read.Condition("event: Order Completed");
        Assert.Equal<string>(["Order Completed"], e.Names);
        Assert.Equal(TimeWindow.Ever.Instance, e.Window);
        Assert.Equal(Measure.Performed, e.Measure);
        Assert.Null(e.Model);
    }

    [Fact]
    public void Event_reads_names_model_where_window_and_measure()
    {
        var e = (EventCondition)Read.Condition("""
            event: [Order Completed, Subscription Started]
            model: events
            where: [{property: revenue, gte: 20}]
            between_ago: [30 days, 60 days]
            count: {between: [2, 5]}
            """);
        Assert.Equal<string>(["Order Completed", "Subscription Started"], e.Names);
        Assert.Equal("events", e.Model);
        Assert.IsType<AllCondition>(e.Where);
        Assert.Equal(new TimeWindow.BetweenAgo(new Duration(30, TimeUnit.Day), new Duration(60, TimeUnit.Day)), e.Window);
        Assert.Equal(new Measure.Count(new CountComparator(CountOperator.Between, 2, 5)), e.Measure);
    }

    [Theory]
    [InlineData("performed: false", CountOperator.Exactly, 0)]
    [InlineData("performed: true", CountOperator.AtLeast, 1)]
    [InlineData("count: {at_least: 3}", CountOperator.AtLeast, 3)]
    [InlineData("count: {at_most: 2}", CountOperator.AtMost, 2)]
    [InlineData("count: {exactly: 4}", CountOperator.Exactly, 4)]
    public void Count_measures_read_as_comparators(string measure, CountOperator op, long value) =>
        Assert.Equal(new Measure.Count(new CountComparator(op, value)), ((EventCondition)Read.Condition($"{{event: A, {measure}}}")).Measure);

    [Fact]
    public void Aggregate_and_occurrence_measures_carry_their_tests()
    {
        Assert.Equal(new Measure.Aggregate(AggregateFunction.Avg, "revenue", new PropertyTest(PropertyOperator.Between, new Operand.Range(new Literal.Number(20), new Literal.Number(50)))),
            ((EventCondition)Read.Condition("{event: A, aggregate: {avg: revenue, between: [20, 50]}}")).Measure);
        Assert.Equal(new Measure.FirstOccurrence(new PropertyTest(PropertyOperator.WithinLast, new Operand.Relative(new Duration(30, TimeUnit.Day)))),
            ((EventCondition)Read.Condition("{event: A, first_occurred: {within_last: 30 days}}")).Measure);
        Assert.IsType<Measure.LastOccurrence>(((RelationCondition)Read.Condition("{relation: orders, last_occurred: {more_than_ago: 14 days}}")).Measure);
    }

    [Fact]
    public void Windows_read_during_and_ever()
    {
        Assert.Equal(new TimeWindow.Absolute(new Literal.String("2026-11-27"), new Literal.String("2026-11-30")),
            ((EventCondition)Read.Condition("{event: A, during: [2026-11-27, 2026-11-30]}")).Window);
        Assert.Equal(TimeWindow.Ever.Instance, ((EventCondition)Read.Condition("{event: A, ever: true}")).Window);
    }

    [Fact]
    public void Two_windows_or_two_measures_conflict()
    {
        Assert.Equal("COH106", Read.Codes(Read.ConditionDiagnostics("{event: A, within_last: 1 day, ever: true}")));
        Assert.Equal("COH106", Read.Codes(Read.ConditionDiagnostics("{event: A, performed: true, count: {at_least: 2}}")));
    }

    [Fact]
    public void Sequence_reads_steps_gaps_window_and_not_followed_by()
    {
        var s = (SequenceCondition)Read.Condition("""
            sequence:
              - event: Product Viewed
              - event: Added to Cart
                within: 1 hour
                where: {property: url, contains: shoes}
            within: 1 day
            within_last: 7 days
            not_followed_by: {event: Order Completed, within: 2 hours}
            """);
        Assert.Equal(2, s.Steps.Length);
        Assert.Equal(new Duration(1, TimeUnit.Hour), s.Steps[1].MaxGap);
        Assert.NotNull(s.Steps[1].Where);
        Assert.Equal(3, s.Steps[1].Location!.Line);
        Assert.Equal(new Duration(1, TimeUnit.Day), s.Within);
        Assert.Equal(new TimeWindow.WithinLast(new Duration(7, TimeUnit.Day)), s.Window);
        Assert.Equal(new Duration(2, TimeUnit.Hour), s.NotFollowedBy!.MaxGap);
        Assert.Equal<string>(["Order Completed"], s.NotFollowedBy.Names);
    }

    [Theory]
    [InlineData("relation: orders", new[] { "orders" })]
    [InlineData("relation: orders.products", new[] { "orders", "products" })]
    [InlineData("relation: [orders, items]", new[] { "orders", "items" })]
    public void Relation_paths_are_a_name_a_dotted_string_or_a_list(string yaml, string[] path) =>
        Assert.Equal(path, ((RelationCondition)Read.Condition(yaml)).Path);

    [Fact]
    public void Trait_and_audience_conditions_read()
    {
        Assert.Equal(new TraitCondition("ltv", new PropertyTest(PropertyOperator.GreaterOrEqual, new Operand.Value(new Literal.Number(500)))),
            Read.Condition("{trait: ltv, gte: 500}") with { Location = null });
        Assert.Equal(new AudienceCondition("vip", false), Read.Condition("{audience: vip, member: false}") with { Location = null });
        Assert.True(((AudienceCondition)Read.Condition("{audience: vip}")).Member);
    }

    [Fact]
    public void Unknown_kind_suggests_the_nearest_kind()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{proprety: country, equals: US}"));
        Assert.Equal(("COH300", "property"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Two_kind_keys_conflict_at_the_second()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{property: a, event: b, equals: 1}"));
        Assert.Equal(("COH106", "event"), (error.Code, error.Location!.Path));
    }

    [Fact]
    public void Two_operators_conflict()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{property: a, gt: 1, lt: 5}"));
        Assert.Equal(("COH106", "lt"), (error.Code, error.Location!.Path));
    }

    [Fact]
    public void Missing_operator_is_reported() =>
        Assert.Equal("COH103", Read.Codes(Read.ConditionDiagnostics("{property: a}")));

    [Fact]
    public void Unknown_operator_suggests_our_spelling_of_a_familiar_one()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{property: a, greater_than: 3}"));
        Assert.Equal(("COH301", "gt"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Unknown_keys_in_an_event_suggest_valid_keys()
    {
        var error = Assert.Single(Read.ConditionDiagnostics("{event: A, within_lsat: 3 days}"));
        Assert.Equal(("COH102", "within_last"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Every_problem_in_a_condition_is_reported_together()
    {
        var diagnostics = Read.ConditionDiagnostics("""
            all:
              - {proprety: a, equals: 1}
              - {property: b, equal: 2}
              - {event: A, count: {at_least: 1.5}}
              - {property: c, in: [x, ~]}
            """);
        Assert.Equal("COH300 COH301 COH105 COH327", Read.Codes(diagnostics));
    }
}
