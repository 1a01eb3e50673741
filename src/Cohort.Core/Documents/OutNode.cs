namespace Cohort.Core.Documents;

/// <summary>A tree to be written as YAML or JSON: the output counterpart of <see cref="DocNode"/>, without locations.</summary>
internal abstract record OutNode;

internal sealed record OutMap(IReadOnlyList<KeyValuePair<string, OutNode>> Entries) : OutNode
{
    public static OutMap Of(params (string Key, OutNode? Value)[] entries) =>
        new(entries.Where(e => e.Value is not null).Select(e => new KeyValuePair<string, OutNode>(e.Key, e.Value!)).ToList());
}

internal sealed record OutList(IReadOnlyList<OutNode> Items) : OutNode;

internal enum OutKind
{
    String,
    Number,
    Boolean,
    Null,
}

internal sealed record OutScalar(string Text, OutKind Kind) : OutNode
{
    public static OutScalar Of(string text) => new(text, OutKind.String);

    public static OutScalar Flag(bool value) => new(value ? "true" : "false", OutKind.Boolean);

    public static OutScalar Number(string text) => new(text, OutKind.Number);
}
