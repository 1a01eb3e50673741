using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

public sealed class CanonicalJsonTests
{
    private static string Of(string yaml) => CanonicalJson.Of(Read.Condition(yaml));

    [Theory]
    [InlineData("{property: v, eq: 3}", "{property: v, equals: 3}")]
    [InlineData("{property: v, equals: 1.50}", "{property: v, equals: 1.5}")]
    [InlineData("{event: A}", "{event: [A], performed: true, ever: true}")]
    [InlineData("{event: A, performed: false}", "{event: A, count: {exactly: 0}}")]
    [InlineData("{property: v, is_set: false}", "{property: v, is_not_set: true}")]
    [InlineData("{property: v, within_last: 30 days}", "{property: v, within_last: {amount: 30, unit: day}}")]
    [InlineData("[{property: v, equals: 1}]", "{all: [{property: v, equals: 1}]}")]
    [InlineData("{relation: orders.items}", "{relation: [orders, items]}")]
    [InlineData("{audience: vip}", "{audience: vip, member: true}")]
    public void Spellings_of_the_same_condition_share_one_canonical_form(string a, string b) => Assert.Equal(Of(a), Of(b));

    [Theory]
    [InlineData("{property: v, equals: 5}", "{property: v, equals: '5'}")]
    [InlineData("{property: v, equals: true}", "{property: v, equals: 'true'}")]
    [InlineData("{property: v, in: [a, b]}", "{property: v, in: [b, a]}")]
    [InlineData("{event: A, count: {at_least: 1}}", "{event: A, count: {at_least: 2}}")]
    [InlineData("{property: v, within_last: 1 day}", "{property: v, within_last: 24 hours}")]
    public void Different_conditions_have_different_canonical_forms(string a, string b) => Assert.NotEqual(Of(a), Of(b));

    [Fact]
    public void Locations_are_not_part_of_the_canonical_form() =>
        Assert.Equal(Of("{property: v, equals: 1}"), Of("\n\n   property: v\n   equals: 1\n"));

    [Fact]
    public void Canonical_form_is_compact_with_sorted_keys()
    {
        Assert.Equal("""{"column":"v","kind":"property","test":{"op":"gte","value":18}}""", Of("{property: v, gte: 18}"));
        Assert.Equal("""{"kind":"event","measure":{"count":{"op":"at_least","value":1}},"names":["A"],"window":{"ever":true}}""", Of("{event: A}"));
    }

    [Fact]
    public void Bound_dates_and_timestamps_are_tagged_and_differ_from_text()
    {
        var audience = Read.Audience("name: t\nmodel: customers\ncondition: {property: last_seen_at, after: \"2026-03-01T10:30:00+01:00\"}\n");
        var bound = AudienceValidator.Validate(audience, Fixtures.Schema, [audience], new DiagnosticBag());
        Assert.Contains("""{"timestamp":"2026-03-01T09:30:00Z"}""", CanonicalJson.Of(bound.Condition!), StringComparison.Ordinal);
        Assert.NotEqual(CanonicalJson.Of(audience), CanonicalJson.Of(bound));
    }

    [Fact]
    public void Audience_canonical_form_includes_defaults()
    {
        var canonical = CanonicalJson.Of(Read.Audience("name: a\nmodel: customers\nsplits: {groups: [{name: x, percent: 100}]}\n"));
        Assert.Equal("""{"exclude":[],"labels":[],"model":"customers","name":"a","splits":{"groups":[{"holdout":false,"name":"x","percent":100}],"salt":"a"}}""", canonical);
    }
}
