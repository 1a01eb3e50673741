using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Testing.Differential;
using Cohort.Warehouses.Preview;
using Cohort.Warehouses.Validation;

namespace Cohort.Demo.Tests;

[Collection(DemoCollection.Name)]
public sealed class DemoProjectTests(DemoFixture demo)
{
    [Fact]
    public void The_demo_project_has_no_diagnostics()
    {
        Assert.Empty(demo.Project.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(DemoProject.AudienceNames.Order(StringComparer.Ordinal), demo.Project.Audiences.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.True(demo.Project.Audiences.Length >= 12);
    }

    [Fact]
    public async Task The_schema_matches_the_generated_warehouse_on_both_engines()
    {
        foreach (var warehouse in demo.Engines)
        {
            var diagnostics = await new SchemaChecker(warehouse).CheckAsync(demo.Project.Schema);
            Assert.True(diagnostics.IsEmpty, $"{warehouse.Dialect}: {string.Join("\n", diagnostics)}");
        }
    }

    [Fact]
    public async Task Every_audience_runs_on_both_engines_with_the_same_counts()
    {
        var ctx = new EvaluationContext(demo.Options.AnchorUtc, TimeZoneInfo.Utc);
        var results = new Dictionary<string, List<string>>();
        foreach (var warehouse in demo.Engines)
        {
            var service = new AudiencePreviewService(warehouse, demo.Project.Schema, demo.Project.Audiences, TimeProvider.System);
            foreach (var audience in demo.Project.Audiences)
            {
                var (blocks, total) = await service.BlockCountsAsync(audience, ctx);
                results.TryAdd(audience.Name, []);
                results[audience.Name].Add($"{total} [{string.Join(", ", blocks.Select(b => b.Count))}]");
            }
        }
        var differing = results.Where(r => r.Value.Distinct().Count() != 1).Select(r => $"{r.Key}: duckdb {r.Value[0]}, postgres {r.Value[1]}").ToList();
        Assert.True(differing.Count == 0, string.Join("\n", differing));
        // The demo shows real segments: at 2,000 customers most audiences already have members.
        var empty = results.Where(r => r.Value[0].StartsWith("0 ", StringComparison.Ordinal)).Select(r => r.Key).ToList();
        Assert.True(empty.Count <= 3, "Empty at 2,000 customers: " + string.Join(", ", empty));
    }

    [Fact]
    public void The_audiences_use_every_condition_kind_and_operator_family()
    {
        var coverage = new ConditionCoverage();
        foreach (var audience in demo.Project.Audiences) coverage.Add(audience);
        string[] required =
        [
            "kind:All", "kind:Any", "kind:Not", "kind:Property", "kind:Event", "kind:Sequence", "kind:Relation", "kind:Trait", "kind:Audience",
            "audience:member", "audience:not_member", "audience:exclusions", "audience:limit_ordered", "audience:splits",
            "relation:multi_hop", "relation:where", "sequence:several_steps", "sequence:gap", "sequence:within", "sequence:not_followed_by",
            "event:several_names",
        ];
        var missing = required.Where(f => coverage[f] == 0).ToList();
        missing.AddRange(Enum.GetValues<PropertyOperator>().Select(op => "operator:" + op).Where(f => coverage[f] == 0));
        string[] measuresAndWindows =
        [
            "measure:performed", "measure:not_performed", "measure:count:AtLeast", "measure:count:AtMost", "measure:count:Exactly",
            "measure:count:Between", "measure:aggregate:Sum", "measure:aggregate:Avg", "measure:aggregate:Min", "measure:aggregate:Max",
            "measure:first_occurred", "measure:last_occurred", "window:ever", "window:within_last", "window:between_ago",
        ];
        missing.AddRange(measuresAndWindows.Where(f => coverage[f] == 0));
        if (!coverage.Counts.Keys.Any(k => k.StartsWith("window:during", StringComparison.Ordinal))) missing.Add("window:during");
        var used = coverage.Counts.Keys.ToList();
        Assert.True(missing.Count == 0, "Not used by any demo audience: " + string.Join(", ", missing) + "\nUsed: " + string.Join(", ", used.Order(StringComparer.Ordinal)));
    }
}
