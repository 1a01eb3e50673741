using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

public sealed class AudienceValidatorTests
{
    private static (Condition? Bound, IReadOnlyList<Diagnostic> Diagnostics) Check(string condition)
    {
        var indented = string.Join("\n", condition.Split('\n').Select(l => "  " + l));
        var (bound, diagnostics) = Read.Validate($"name: t\nmodel: customers\ncondition:\n{indented}\n");
        return (bound?.Condition, diagnostics);
    }

    private static Literal BoundValue(string condition)
    {
        var (bound, diagnostics) = Check(condition);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        return ((Operand.Value)((PropertyCondition)bound!).Test.Operand).Literal;
    }

    private static string CodesOf(string condition) => Read.Codes(Check(condition).Diagnostics);

    [Fact]
    public void Dates_and_timestamps_are_typed_for_their_columns()
    {
        Assert.Equal(new Literal.Date(new DateOnly(2026, 1, 5)), BoundValue("{property: signup_date, after: 2026-01-05}"));
        Assert.Equal(new Literal.Date(new DateOnly(2026, 1, 5)), BoundValue("{property: last_seen_at, before: 2026-01-05}"));
        var instant = BoundValue("{property: last_seen_at, after: \"2026-03-01T10:30:00+01:00\"}");
        Assert.Equal(new Literal.Timestamp(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc)), instant);
        Assert.Equal(DateTimeKind.Utc, ((Literal.Timestamp)instant).Value.Kind);
    }

    [Fact]
    public void Timestamps_are_truncated_to_microseconds() =>
        Assert.Equal(new Literal.Timestamp(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc).AddTicks(1234560)),
            BoundValue("{property: last_seen_at, before: \"2026-03-01T09:30:00.1234567Z\"}"));

    [Fact]
    public void Timestamp_without_a_zone_is_rejected() =>
        Assert.Equal("COH105", CodesOf("{property: last_seen_at, after: \"2026-03-01T09:30:00\"}"));

    [Fact]
    public void Timestamp_on_a_date_column_is_a_type_mismatch() =>
        Assert.Equal("COH303", CodesOf("{property: signup_date, before: \"2026-03-01T09:30:00Z\"}"));

    [Fact]
    public void Numbers_on_string_columns_become_their_text_and_numeric_strings_on_number_columns_become_numbers()
    {
        Assert.Equal(new Literal.String("123"), BoundValue("{property: zip, equals: 123}"));
        Assert.Equal(new Literal.Number(20), BoundValue("{property: visits, gte: \"20\"}"));
        Assert.Equal("COH303", CodesOf("{property: visits, gte: twenty}"));
    }

    [Fact]
    public void Value_lists_are_typed_element_by_element()
    {
        var (bound, diagnostics) = Check("{property: tags, contains_any: [vip, 7]}");
        Assert.Empty(diagnostics);
        Assert.Equal<Literal>([new Literal.String("vip"), new Literal.String("7")], ((Operand.Values)((PropertyCondition)bound!).Test.Operand).Literals);
    }

    [Theory]
    [InlineData("{property: visits, contains: 3}", "COH302")]
    [InlineData("{property: country, gt: 3}", "COH302")]
    [InlineData("{property: email_consent, contains: x}", "COH302")]
    [InlineData("{property: tags, equals: vip}", "COH302")]
    [InlineData("{property: signup_date, lt: 2026-01-01}", "COH302")]
    [InlineData("{trait: lifetime_value, starts_with: x}", "COH302")]
    [InlineData("{property: email_consent, equals: maybe}", "COH303")]
    [InlineData("{property: country, equals: true}", "COH303")]
    public void Operators_and_values_must_fit_the_column_type(string condition, string code) =>
        Assert.Equal(code, CodesOf(condition));

    [Fact]
    public void Operator_not_valid_for_type_names_the_valid_ones()
    {
        var error = Assert.Single(Check("{property: tags, contains: vip}").Diagnostics);
        Assert.Equal("COH302", error.Code);
        Assert.Equal<string>(["contains_any", "contains_all"], error.Suggestions.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("condition.contains", error.Location!.Path);
    }

    [Fact]
    public void Unknown_column_suggests_nearest_name()
    {
        var error = Assert.Single(Check("{property: contry, equals: US}").Diagnostics);
        Assert.Equal(("COH201", "country", 4, 14), (error.Code, error.Suggestions[0], error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void Nested_where_conditions_are_checked_against_their_own_model()
    {
        Assert.Equal("", CodesOf("{relation: orders, where: {property: total, gt: 10}}"));
        Assert.Equal("", CodesOf("{event: Order Completed, where: {property: revenue, gt: 10}}"));
        Assert.Equal("", CodesOf("{relation: orders, where: {relation: products, where: {property: category, equals: shoes}}}"));
        Assert.Equal("COH201", CodesOf("{relation: orders, where: {property: country, equals: US}}"));
        Assert.Equal("COH201", CodesOf("{event: Order Completed, where: {property: total, gt: 1}}"));
    }

    [Fact]
    public void Trait_and_audience_conditions_are_only_allowed_in_the_parent_context() =>
        Assert.Equal("COH311 COH311", CodesOf("{relation: orders, where: {any: [{trait: lifetime_value, gt: 1}, {audience: vip}]}}"));

    [Fact]
    public void Unknown_trait_audience_relationship_and_event_are_reported_with_suggestions()
    {
        var (_, diagnostics) = Check("""
            all:
              - {trait: lifetime_valu, gt: 1}
              - {audience: vipp}
              - {relation: order}
              - {event: Order Complete}
            """);
        Assert.Equal("COH206 COH305 COH202 COH304", Read.Codes(diagnostics));
        Assert.Equal<string>(["lifetime_value", "vip", "orders", "Order Completed"], diagnostics.Select(d => d.Suggestions[0]));
    }

    [Fact]
    public void Event_names_are_checked_against_declared_events_and_one_event_tables()
    {
        Assert.Equal("", CodesOf("{event: Newsletter Signup}"));
        Assert.Equal("COH304", CodesOf("{event: Newsletter, model: newsletter_signups}"));
        Assert.Equal("COH304", CodesOf("{event: [Page Viewed, Page Seen], model: events}"));
        Assert.Equal("COH200", CodesOf("{event: Page Viewed, model: orders}"));
    }

    [Theory]
    [InlineData("{event: A, within_last: -1 days}", "COH304")]
    [InlineData("{event: Order Completed, within_last: -1 days}", "COH320")]
    [InlineData("{property: last_seen_at, more_than_ago: -3 days}", "COH320")]
    [InlineData("{event: Order Completed, count: {at_least: -2}}", "COH326")]
    [InlineData("{event: Order Completed, count: {between: [5, 2]}}", "COH321")]
    [InlineData("{property: visits, between: [10, 1]}", "COH321")]
    [InlineData("{property: signup_date, between: [2026-02-01, 2026-01-01]}", "COH321")]
    [InlineData("{property: last_seen_at, between_ago: [60 days, 30 days]}", "COH321")]
    [InlineData("{property: last_seen_at, between_ago: [1 week, 30 days]}", "COH321")]
    [InlineData("{event: Order Completed, during: [2026-12-01, 2026-11-01]}", "COH321")]
    [InlineData("{property: signup_date, within_last: 12 hours}", "COH322")]
    [InlineData("{property: birthday, anniversary_within_next: 1 month}", "COH322")]
    [InlineData("{property: email, in: []}", "COH327")]
    public void Amounts_ranges_and_units_are_checked(string condition, string code) =>
        Assert.StartsWith(code, CodesOf(condition), StringComparison.Ordinal);

    [Fact]
    public void Sequences_need_two_steps_or_a_not_followed_by_with_within()
    {
        Assert.Equal("COH324", CodesOf("{sequence: [{event: Added to Cart}]}"));
        Assert.Equal("COH324", CodesOf("{sequence: [{event: Added to Cart}], not_followed_by: {event: Order Completed}}"));
        Assert.Equal("", CodesOf("{sequence: [{event: Added to Cart}], not_followed_by: {event: Order Completed, within: 1 hour}}"));
        Assert.Equal("", CodesOf("{sequence: [{event: Product Viewed}, {event: Added to Cart, within: 30 minutes}], within: 1 day}"));
    }

    [Fact]
    public void Sequences_take_fixed_length_units_only()
    {
        Assert.Equal("COH323", CodesOf("{sequence: [{event: Product Viewed}, {event: Added to Cart, within: 1 month}]}"));
        Assert.Equal("COH323", CodesOf("{sequence: [{event: Product Viewed}, {event: Added to Cart}], within: 1 year}"));
        Assert.Equal("COH323", CodesOf("{sequence: [{event: Product Viewed}, {event: Added to Cart}], within_last: 1 month}"));
    }

    [Fact]
    public void The_first_step_cannot_have_a_gap() =>
        Assert.Equal("COH105", CodesOf("{sequence: [{event: Product Viewed, within: 1 hour}, {event: Added to Cart}]}"));

    [Fact]
    public void Aggregates_need_numeric_columns_and_numeric_tests()
    {
        Assert.Equal("", CodesOf("{relation: orders, aggregate: {sum: total, gte: 500}}"));
        Assert.Equal("COH325", CodesOf("{relation: orders, aggregate: {max: status, gte: 5}}"));
        Assert.Equal("COH325", CodesOf("{relation: orders, aggregate: {sum: total, in: [1, 2]}}"));
        Assert.Equal("COH201", CodesOf("{relation: orders, aggregate: {sum: totl, gte: 5}}"));
        Assert.Equal("COH303", CodesOf("{relation: orders, aggregate: {sum: total, gte: lots}}"));
    }

    [Fact]
    public void Windows_and_occurrence_times_need_a_timestamp_on_the_end_model()
    {
        Assert.Equal("", CodesOf("{relation: orders, within_last: 30 days, last_occurred: {within_last: 7 days}}"));
        Assert.Equal("COH328", CodesOf("{relation: orders.products, within_last: 30 days}"));
        Assert.Equal("COH328", CodesOf("{relation: orders.products, first_occurred: {before: 2026-01-01}}"));
        Assert.Equal("COH302", CodesOf("{relation: orders, first_occurred: {is_set: true}}"));
    }

    [Fact]
    public void Repeatable_paths_to_keyless_models_are_rejected()
    {
        var (schema, schemaDiagnostics) = Read.Schema("""
            models:
              customers: {kind: parent, table: c, primary_key: id, columns: {id: integer}}
              orders: {kind: related, table: o, primary_key: id, columns: {id: integer, customer_id: integer}}
              lines: {kind: related, table: l, columns: {order_id: integer, sku: string}}
              skus: {kind: related, table: s, columns: {sku: string}}
            relationships:
              - {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many}
              - {from: orders, from_key: id, to: lines, to_key: order_id, cardinality: one_to_many}
              - {from: lines, from_key: sku, to: skus, to_key: sku, cardinality: many_to_one}
            """);
        Assert.Empty(schemaDiagnostics);
        var (_, diagnostics) = Read.Validate("model: customers\ncondition: {relation: orders.lines.skus}", new SchemaIndex(schema));
        Assert.Equal("COH329", Read.Codes(diagnostics));
        var (_, fine) = Read.Validate("model: customers\ncondition: {relation: orders.lines}", new SchemaIndex(schema));
        Assert.Empty(fine);
    }

    [Fact]
    public void Membership_of_an_audience_over_another_model_is_rejected()
    {
        var (schema, _) = Read.Schema("""
            models:
              customers: {kind: parent, table: c, primary_key: id, columns: {id: integer}}
              accounts: {kind: parent, table: a, primary_key: id, columns: {id: integer}}
            """);
        var index = new SchemaIndex(schema);
        var accounts = Read.Audience("name: big_accounts\nmodel: accounts\n");
        var customers = Read.Audience("name: c\nmodel: customers\ncondition: {audience: big_accounts}\nexclude: [big_accounts]\n");
        var diagnostics = new DiagnosticBag();
        AudienceValidator.Validate(customers, index, [accounts, customers], diagnostics);
        Assert.Equal("COH331 COH331", Read.Codes(diagnostics.Items));
    }

    [Fact]
    public void Cycles_through_exclusions_are_reported_with_their_path()
    {
        var a = Read.Audience("name: a\nmodel: customers\nexclude: [b]\n");
        var b = Read.Audience("name: b\nmodel: customers\ncondition: {not: {audience: c}}\n");
        var c = Read.Audience("name: c\nmodel: customers\ncondition: {audience: a}\n");
        var diagnostics = new DiagnosticBag();
        AudienceValidator.ValidateAll([a, b, c], Fixtures.Schema, diagnostics);
        Assert.Equal("COH330 COH330 COH330", Read.Codes(diagnostics.Items));
        Assert.Contains("a -> b -> c -> a", diagnostics.Items[0].Message, StringComparison.Ordinal);
        Assert.Equal("exclude[0]", diagnostics.Items[0].Location!.Path);
    }

    [Fact]
    public void An_audience_excluding_itself_is_a_cycle()
    {
        var (_, diagnostics) = Read.Validate("name: self\nmodel: customers\nexclude: [self]\n");
        Assert.Equal("COH330", Read.Codes(diagnostics));
    }

    [Fact]
    public void Duplicate_audience_names_across_files_are_reported()
    {
        var first = Read.Audience("model: customers\n", "audiences/vip.yaml");
        var second = Read.Audience("name: vip\nmodel: customers\n", "other/vip.yml");
        var diagnostics = new DiagnosticBag();
        AudienceValidator.ValidateAll([first, second], Fixtures.Schema, diagnostics);
        Assert.Equal("COH335 COH335", Read.Codes(diagnostics.Items));
        Assert.Contains("other/vip.yml", diagnostics.Items[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit: {size: 0}", "COH333")]
    [InlineData("limit: {size: 10, order_by: [{column: visit, direction: desc}]}", "COH333")]
    [InlineData("limit: {size: 10, order_by: [{trait: ltv}]}", "COH333")]
    [InlineData("limit: {size: 10, order_by: [{column: tags}]}", "COH333")]
    [InlineData("splits: {groups: [{name: a, percent: 50}, {name: b, percent: 40}]}", "COH332")]
    [InlineData("splits: {groups: [{name: a, percent: 50}, {name: a, percent: 50}]}", "COH332")]
    [InlineData("splits: {groups: [{name: a, percent: 33.333}, {name: b, percent: 66.667}]}", "COH332 COH332")]
    [InlineData("splits: {groups: [{name: a, percent: 0}, {name: b, percent: 100}]}", "COH332")]
    [InlineData("splits: {groups: []}", "COH332")]
    public void Limits_and_splits_are_checked(string part, string codes) =>
        Assert.Equal(codes, Read.Codes(Read.Validate($"name: t\nmodel: customers\n{part}\n").Diagnostics));

    [Fact]
    public void Valid_limits_and_splits_pass()
    {
        var (bound, diagnostics) = Read.Validate("""
            name: t
            model: customers
            limit: {size: 10, order_by: [{column: visits, direction: desc}, {trait: lifetime_value}]}
            splits: {salt: s, groups: [{name: a, percent: 33.33}, {name: b, percent: 66.67, holdout: true}]}
            """);
        Assert.Empty(diagnostics);
        Assert.Equal("s", bound!.Splits!.Salt);
    }

    [Fact]
    public void Audience_over_a_non_parent_model_is_rejected()
    {
        var error = Assert.Single(Read.Validate("model: orders\n").Diagnostics);
        Assert.Equal(("COH200", "customers"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Every_problem_is_collected_rather_than_stopping_at_the_first()
    {
        var (_, diagnostics) = Check("""
            all:
              - {property: contry, equals: US}
              - {property: visits, contains: 1}
              - {any: []}
              - {event: Order Completed, within_last: -1 days}
            """);
        Assert.Equal("COH201 COH302 COH310 COH320", Read.Codes(diagnostics));
    }

    [Fact]
    public void Binding_keeps_locations_and_does_not_change_the_input()
    {
        var audience = Read.Audience("name: t\nmodel: customers\ncondition: {property: signup_date, after: 2026-01-05}\n");
        var bound = AudienceValidator.Validate(audience, Fixtures.Schema, [audience], new DiagnosticBag());
        Assert.Equal(audience.Condition!.Location, bound.Condition!.Location);
        Assert.IsType<Literal.String>(((Operand.Value)((PropertyCondition)audience.Condition).Test.Operand).Literal);
        Assert.IsType<Literal.Date>(((Operand.Value)((PropertyCondition)bound.Condition).Test.Operand).Literal);
    }

    [Fact]
    public void A_condition_can_be_validated_on_its_own()
    {
        var condition = Read.Condition("{trait: lifetime_value, gte: \"500\"}");
        var diagnostics = new DiagnosticBag();
        var bound = AudienceValidator.ValidateCondition(condition, Fixtures.Schema.Schema.GetModel("customers"), Fixtures.Schema, [], diagnostics);
        Assert.Empty(diagnostics.Items);
        Assert.Equal(new Literal.Number(500), ((Operand.Value)((TraitCondition)bound).Test.Operand).Literal);
    }
}
