using Cohort.Core.Audiences;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using CsCheck;
using Xunit.Abstractions;

namespace Cohort.Core.Tests.Differential;

public sealed class GeneratorTests(ITestOutputHelper output)
{
    private const int Cases = 2000;

    [Fact]
    public void Generated_cases_cover_the_language_evaluate_and_select_a_useful_fraction()
    {
        var coverage = new ConditionCoverage();
        var fractions = new List<double>();
        var pcg = new PCG(1, 20260315); // fixed: a coverage check must not flicker

        for (var i = 0; i < Cases; i++)
        {
            var c = DifferentialGenerators.Case.Generate(pcg, null, out _);
            foreach (var audience in c.AllAudiences) coverage.Add(audience);

            var evaluator = new ReferenceEvaluator(TestSchema.Schema, c.Data, c.AllAudiences);
            _ = evaluator.Members(c.Target, c.Context); // must not throw on any valid input
            var people = c.Data.Rows("people").Count;
            if (c.Target.Condition is not null && people >= 5)
                fractions.Add((double)evaluator.BlockCounts(c.Target, c.Context)[^1] / people);
        }

        foreach (var (feature, count) in coverage.Counts.OrderBy(x => x.Key, StringComparer.Ordinal)) output.WriteLine($"{feature}: {count}");
        var missing = Expected().Where(f => coverage[f] == 0).ToList();
        Assert.True(missing.Count == 0, "never generated: " + string.Join(", ", missing));

        var none = fractions.Count(f => f == 0) / (double)fractions.Count;
        var all = fractions.Count(f => f == 1) / (double)fractions.Count;
        output.WriteLine($"{fractions.Count} cases: {none:P0} select nobody, {all:P0} everybody");
        Assert.True(none < 0.5, $"{none:P0} of conditions select nobody");
        Assert.True(all < 0.4, $"{all:P0} of conditions select everybody");
        Assert.True(1 - none - all > 0.3, "too few conditions select some but not all rows");
    }

    [Fact]
    public void The_evaluator_accepts_every_generated_case() =>
        DifferentialGenerators.Case.Sample(c =>
        {
            var evaluator = new ReferenceEvaluator(TestSchema.Schema, c.Data, c.AllAudiences);
            foreach (var audience in c.AllAudiences) _ = evaluator.Members(audience, c.Context);
            _ = evaluator.SplitGroup(c.Target, 1L);
        }, iter: 300, writeLine: output.WriteLine);

    [Fact]
    public void Generated_datasets_fit_the_schema_and_contain_the_awkward_values()
    {
        var pcg = new PCG(2, 20260315);
        var seen = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var data = DifferentialGenerators.Dataset.Generate(pcg, null, out _);
            data.Validate(TestSchema.Schema);
            foreach (var model in data.Models)
            {
                foreach (var row in data.Rows(model))
                {
                    foreach (var (column, value) in row)
                    {
                        if (value is null) seen.Add($"null:{model}.{column}");
                        if (value is string s && s.Any(char.IsSurrogate)) seen.Add("non-bmp");
                        if (value is string { Length: 0 }) seen.Add("empty-string");
                        if (value is string t && t.Contains('\u0301', StringComparison.Ordinal)) seen.Add("combining-mark");
                        if (value is DateOnly { Month: 2, Day: 29 }) seen.Add("leap-day");
                    }
                }
            }
            var events = data.Rows("events");
            if (events.Count != events.Distinct(RowComparer.Instance).Count()) seen.Add("duplicate-event");
            var people = data.Rows("people").Select(p => p["person_id"]).ToHashSet();
            var withEvents = events.Select(e => ReferenceDataset.Get(e, "person_id")).ToHashSet();
            if (people.Any(p => !withEvents.Contains(p))) seen.Add("person-without-events");
        }
        string[] nullable = ["people.name", "people.country", "people.age", "people.score", "people.vip", "people.birthday", "people.signup_at",
            "people.tags", "people.account_id", "orders.total", "orders.status", "orders.created_at", "events.ts", "events.amount",
            "events.channel", "signups.ts", "signups.source", "accounts.plan", "accounts.seats", "products.category", "products.price"];
        var expected = nullable.Select(c => "null:" + c)
            .Concat(["non-bmp", "empty-string", "combining-mark", "leap-day", "duplicate-event", "person-without-events"]);
        var missing = expected.Where(e => !seen.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "never generated: " + string.Join(", ", missing));
    }

    [Fact]
    public void Generated_data_sits_on_window_edges_relative_to_as_of()
    {
        var pcg = new PCG(3, 20260315);
        var onEdge = 0;
        var offByOne = 0;
        for (var i = 0; i < 50; i++)
        {
            var c = DifferentialGenerators.Case.Generate(pcg, null, out _);
            var edges = ValuePools.FixedDurations.Select(d => Calendar.Add(c.Context.AsOfUtc, d, -1)).ToHashSet();
            foreach (var e in c.Data.Rows("events"))
            {
                if (ReferenceDataset.Get(e, "ts") is not DateTime t) continue;
                if (edges.Contains(t)) onEdge++;
                if (edges.Contains(t.AddTicks(10)) || edges.Contains(t.AddTicks(-10))) offByOne++;
            }
        }
        Assert.True(onEdge > 50 && offByOne > 50, $"{onEdge} events on an edge, {offByOne} a microsecond off one");
    }

    /// <summary>Every feature the generators promise: each operator, kind, measure and window.</summary>
    private static IEnumerable<string> Expected() =>
        Enum.GetValues<PropertyOperator>().Select(o => "operator:" + o)
            .Concat(new[] { "All", "Any", "Not", "Property", "Event", "Sequence", "Relation", "Trait", "Audience" }.Select(k => "kind:" + k))
            .Concat(Enum.GetValues<AggregateFunction>().Select(f => "measure:aggregate:" + f))
            .Concat(["measure:performed", "measure:not_performed", "measure:count:AtLeast", "measure:count:AtMost", "measure:count:Exactly",
                "measure:count:Between", "measure:first_occurred", "measure:last_occurred"])
            .Concat(["window:ever", "window:within_last", "window:between_ago", "window:during:Date..Date", "window:during:Timestamp..Timestamp",
                "window:during:Date..Timestamp", "window:during:Timestamp..Date"])
            .Concat(["sequence:one_step", "sequence:several_steps", "sequence:gap", "sequence:within", "sequence:not_followed_by",
                "relation:one_hop", "relation:multi_hop", "relation:where", "event:several_names", "audience:member", "audience:not_member",
                "audience:exclusions", "audience:limit_by_bucket", "audience:limit_ordered", "audience:splits"])
            .Concat(["operator:Before:Date", "operator:Before:Timestamp", "operator:After:Date", "operator:After:Timestamp",
                "operator:Equals:Date", "operator:Equals:Timestamp", "operator:Between:Date..Timestamp", "operator:Between:Timestamp..Timestamp"]);

    private sealed class RowComparer : IEqualityComparer<IReadOnlyDictionary<string, object?>>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(IReadOnlyDictionary<string, object?>? x, IReadOnlyDictionary<string, object?>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));

        public int GetHashCode(IReadOnlyDictionary<string, object?> row) => row.Count;
    }
}
