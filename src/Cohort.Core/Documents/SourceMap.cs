using System.Runtime.CompilerServices;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Documents;

/// <summary>
/// Remembers which document node a model object (a condition, a column, an audience) was read from, so that a
/// validator can point at the exact key or value inside it. Keyed by reference and held weakly: objects built in
/// code simply have no entry, and diagnostics then fall back to the object's own location plus the key path.
/// </summary>
internal static class SourceMap
{
    private static readonly ConditionalWeakTable<object, DocNode> Nodes = new();

    public static T Attach<T>(T value, DocNode node) where T : class
    {
        Nodes.AddOrUpdate(value, node);
        return value;
    }

    /// <summary>Gives <paramref name="copy"/> the document node of <paramref name="original"/> (for rewritten copies).</summary>
    public static T Carry<T>(object original, T copy) where T : class
    {
        if (!ReferenceEquals(original, copy) && Nodes.TryGetValue(original, out var node)) Nodes.AddOrUpdate(copy, node);
        return copy;
    }

    /// <summary>The document node under <paramref name="keys"/>, when <paramref name="value"/> was read from a document.</summary>
    public static DocNode? NodeAt(object value, IReadOnlyList<string> keys)
    {
        if (!Nodes.TryGetValue(value, out var node)) return null;
        foreach (var key in keys)
        {
            if (Step(node, key) is not { } next) return null;
            node = next;
        }
        return node;
    }

    /// <summary>The first key (in document order) of the mapping under <paramref name="prefix"/> that satisfies <paramref name="match"/>.</summary>
    public static string? FindKey(object value, IReadOnlyList<string> prefix, Func<string, bool> match)
    {
        return NodeAt(value, prefix) is DocMapping mapping ? mapping.Entries.FirstOrDefault(e => match(e.Key))?.Key : null;
    }

    /// <summary>
    /// The location of the value under <paramref name="keys"/> (mapping keys, or <c>[i]</c> for list items) inside
    /// the node <paramref name="value"/> was read from. Keys that cannot be followed are still added to the path.
    /// </summary>
    public static SourceLocation? Locate(object value, SourceLocation? fallback, params string[] keys)
    {
        if (!Nodes.TryGetValue(value, out var node))
            return fallback is null ? null : fallback.WithPath(Extend(fallback.Path, keys, 0));
        for (var i = 0; i < keys.Length; i++)
        {
            var next = Step(node, keys[i]);
            if (next is null)
                return node.Location.WithPath(Extend(node.Location.Path, keys, i));
            node = next;
        }
        return node.Location;
    }

    /// <summary>The location of the key itself (rather than its value) inside the node <paramref name="value"/> was read from.</summary>
    public static SourceLocation? LocateKey(object value, SourceLocation? fallback, string key)
    {
        if (Nodes.TryGetValue(value, out var node) && node is DocMapping mapping && mapping.Find(key) is { } entry)
            return entry.KeyLocation;
        return Locate(value, fallback, key);
    }

    private static DocNode? Step(DocNode node, string key)
    {
        if (key.StartsWith('[') && key.EndsWith(']') && int.TryParse(key[1..^1], out var index))
            return node is DocSequence sequence && index >= 0 && index < sequence.Items.Count ? sequence.Items[index] : null;
        return node is DocMapping mapping ? mapping.Find(key)?.Value : null;
    }

    private static string Extend(string path, string[] keys, int from)
    {
        for (var i = from; i < keys.Length; i++)
        {
            var key = keys[i];
            path = key.StartsWith('[') && key.EndsWith(']') && int.TryParse(key[1..^1], out var index)
                ? DocumentPath.Index(path, index)
                : DocumentPath.Key(path, key);
        }
        return path;
    }
}
