namespace Cohort.Core.Documents;

/// <summary>
/// Rewrites a document tree read from YAML or JSON in the other format, keeping key order and what every scalar
/// means (a quoted "200" stays text, a plain 200 stays a number). The server stores JSON bodies of destinations and
/// syncs as YAML with it (so that versions diff line by line) and shows stored YAML to JSON clients.
/// </summary>
public static class DocumentConverter
{
    public static string ToYaml(DocNode root) => YamlDocumentWriter.Write(Out(root));

    public static string ToJson(DocNode root, bool indented = true) => JsonDocumentWriter.Write(Out(root), indented);

    /// <summary>The tree without the top-level <paramref name="key"/> (a mapping's other entries keep their order).</summary>
    public static DocNode Without(DocNode root, string key) =>
        root is DocMapping mapping ? mapping with { Entries = [.. mapping.Entries.Where(e => e.Key != key)] } : root;

    private static OutNode Out(DocNode node) => node switch
    {
        DocMapping mapping => new OutMap([.. mapping.Entries.Select(e => new KeyValuePair<string, OutNode>(e.Key, Out(e.Value)))]),
        DocSequence sequence => new OutList([.. sequence.Items.Select(Out)]),
        DocScalar scalar => ScalarKinds.Of(scalar) switch
        {
            ScalarKind.Null => new OutScalar("null", OutKind.Null),
            ScalarKind.Boolean => OutScalar.Flag(ScalarKinds.TryBoolean(scalar.Text, out var b) ? b : scalar.Text == "true"),
            ScalarKind.Number => OutScalar.Number(scalar.Text),
            _ => OutScalar.Of(scalar.Text),
        },
        _ => throw new InvalidOperationException($"Unknown document node {node.GetType().Name}."),
    };
}
