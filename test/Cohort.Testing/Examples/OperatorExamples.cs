using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Testing.Reference;

namespace Cohort.Testing.Examples;

/// <summary>
/// The catalog of worked examples, one or more per operator, type, window, measure, sequence feature, relation
/// shape, trait kind and audience feature, with exact window edges. Expectations are worked out by hand from
/// docs/semantics.md; each example's explanation shows the working.
/// </summary>
public static partial class OperatorExamples
{
    private static readonly Lazy<ImmutableArray<OperatorExample>> Catalog = new(Build);

    public static ImmutableArray<OperatorExample> All => Catalog.Value;

    public static OperatorExample Get(string name) =>
        All.FirstOrDefault(e => e.Name == name) ?? throw new KeyNotFoundException($"No example named '{name}'.");

    private static ImmutableArray<OperatorExample> Build()
    {
        ImmutableArray<OperatorExample> all =
        [
            .. Strings(), .. Numbers(), .. Booleans(), .. Dates(), .. Timestamps(), .. Zones(), .. Arrays(),
            .. Groups(), .. Events(), .. EventWindows(), .. EventMeasures(), .. Sequences(), .. Relations(),
            .. Traits(), .. Audiences(),
        ];
        var duplicate = all.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two examples are named '{duplicate.Key}'.");
        return all;
    }

    /// <summary>An example whose audience is just <paramref name="condition"/> over people.</summary>
    private static OperatorExample Ex(string name, string why, ReferenceDataset data, Condition condition, params long[] expected) =>
        new(name, why, data, Ast.Audience("example", condition), [.. expected.Select(k => (object)k)]);
}
