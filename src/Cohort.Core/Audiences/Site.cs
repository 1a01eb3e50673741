using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>
/// A place inside a definition that diagnostics point at: a model object (its document node, when it was read
/// from one) plus a key path inside it, such as the <c>aggregate</c> mapping of an event condition.
/// </summary>
internal readonly record struct Site(object Node, SourceLocation? Location, ImmutableArray<string> Prefix)
{
    public static Site Of(Condition condition) => new(condition, condition.Location, []);

    public static Site Of(object node, SourceLocation? location) => new(node, location, []);

    public SourceLocation? Here => SourceMap.Locate(Node, Location, [.. Prefix]);

    public SourceLocation? At(params string[] keys) => SourceMap.Locate(Node, Location, [.. Prefix, .. keys]);

    public Site Into(params string[] keys) => this with { Prefix = [.. Prefix, .. keys] };

    /// <summary>The key, among those written here, that satisfies <paramref name="match"/>; <paramref name="fallback"/> when none is known.</summary>
    public string Key(Func<string, bool> match, string fallback) => SourceMap.FindKey(Node, Prefix, match) ?? fallback;

    /// <summary>The location of the operator key written here (whatever its spelling).</summary>
    public SourceLocation? AtOperator(PropertyOperator op) =>
        At(Key(k => OperatorCatalog.ByName.ContainsKey(k), OperatorCatalog.NameOf(op)));
}
