using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cohort.Core.Documents;

/// <summary>
/// Writes an <see cref="OutNode"/> tree as JSON. Indented output keeps small leaves on one line
/// (<c>{"property": "country", "in": ["US", "CA"]}</c>), as people write it; compact output has no
/// whitespace and can sort keys (for canonical forms).
/// </summary>
internal static class JsonDocumentWriter
{
    private const int LineWidth = 100;

    public static string Write(OutNode root, bool indented, bool sortKeys = false)
    {
        var text = new StringBuilder();
        if (indented)
        {
            Pretty(text, root, 0);
            text.Append('\n');
        }
        else Compact(text, root, sortKeys, spaced: false);
        return text.ToString();
    }

    private static void Pretty(StringBuilder text, OutNode node, int indent)
    {
        if (node is OutScalar || Inline(node) is var inline && inline.Length + indent <= LineWidth && IsLeaf(node, 0))
        {
            Compact(text, node, sortKeys: false, spaced: true);
            return;
        }
        var pad = new string(' ', indent + 2);
        switch (node)
        {
            case OutList list when list.Items.Count == 0:
                text.Append("[]");
                break;
            case OutList list:
                text.Append("[\n");
                for (var i = 0; i < list.Items.Count; i++)
                {
                    text.Append(pad);
                    Pretty(text, list.Items[i], indent + 2);
                    text.Append(i < list.Items.Count - 1 ? ",\n" : "\n");
                }
                text.Append(' ', indent).Append(']');
                break;
            case OutMap map when map.Entries.Count == 0:
                text.Append("{}");
                break;
            case OutMap map:
                text.Append("{\n");
                for (var i = 0; i < map.Entries.Count; i++)
                {
                    var (key, value) = map.Entries[i];
                    text.Append(pad).Append(Quote(key)).Append(": ");
                    Pretty(text, value, indent + 2);
                    text.Append(i < map.Entries.Count - 1 ? ",\n" : "\n");
                }
                text.Append(' ', indent).Append('}');
                break;
        }
    }

    /// <summary>Small leaves only: scalars, lists of scalars, and mappings of those (two levels at most).</summary>
    private static bool IsLeaf(OutNode node, int depth) => node switch
    {
        OutScalar => true,
        OutList list => list.Items.All(i => i is OutScalar),
        OutMap map => depth < 2 && map.Entries.All(e => IsLeaf(e.Value, depth + 1)),
        _ => false,
    };

    private static string Inline(OutNode node)
    {
        var text = new StringBuilder();
        Compact(text, node, sortKeys: false, spaced: true);
        return text.ToString();
    }

    private static void Compact(StringBuilder text, OutNode node, bool sortKeys, bool spaced)
    {
        var separator = spaced ? ", " : ",";
        switch (node)
        {
            case OutScalar { Kind: OutKind.String } s:
                text.Append(Quote(s.Text));
                break;
            case OutScalar { Kind: OutKind.Null }:
                text.Append("null");
                break;
            case OutScalar s:
                text.Append(s.Text);
                break;
            case OutList list:
                text.Append('[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0) text.Append(separator);
                    Compact(text, list.Items[i], sortKeys, spaced);
                }
                text.Append(']');
                break;
            case OutMap map:
                text.Append('{');
                var entries = sortKeys ? map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList() : map.Entries;
                for (var i = 0; i < entries.Count; i++)
                {
                    if (i > 0) text.Append(separator);
                    text.Append(Quote(entries[i].Key)).Append(spaced ? ": " : ":");
                    Compact(text, entries[i].Value, sortKeys, spaced);
                }
                text.Append('}');
                break;
        }
    }

    // Definition files are not HTML: keep '+', '<', '&' and non-ASCII text readable.
    private static string Quote(string text) => $"\"{JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"";
}
