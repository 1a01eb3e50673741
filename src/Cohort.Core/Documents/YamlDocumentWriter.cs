using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Cohort.Core.Documents;

/// <summary>
/// Writes an <see cref="OutNode"/> tree as idiomatic YAML: block style at the top, flow style
/// (<c>{property: country, in: [US, CA]}</c>) for small leaves, and quotes only where a plain scalar would be
/// read back as something else (a number, a boolean, null).
/// </summary>
internal static class YamlDocumentWriter
{
    private const int FlowWidth = 80;

    /// <summary>Words YAML 1.1 readers take as booleans; quoted so other tools read them as text too.</summary>
    private static readonly HashSet<string> Yaml11Words = new(StringComparer.OrdinalIgnoreCase) { "y", "n", "yes", "no", "on", "off" };

    public static string Write(OutNode root)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithIndentedSequences().WithNewLine("\n").WithBestWidth(int.MaxValue));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, root, indent: 0, column: 0, top: true);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <param name="indent">The indentation of the node's lines when it is written in block style.</param>
    /// <param name="column">The column the node starts at when it is written in flow style.</param>
    private static void Emit(IEmitter emitter, OutNode node, int indent, int column = 0, bool top = false)
    {
        switch (node)
        {
            case OutScalar scalar:
                emitter.Emit(Scalar(scalar));
                break;
            case OutList list:
            {
                var flow = !top && Flowable(list, 0) && column + Width(list) <= FlowWidth;
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                // A block list puts "- " at its indent; each item starts two columns further.
                foreach (var item in list.Items) Emit(emitter, item, indent + 2, indent + 2);
                emitter.Emit(new SequenceEnd());
                break;
            }
            case OutMap map:
            {
                var flow = !top && Flowable(map, 0) && column + Width(map) <= FlowWidth;
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, flow ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map.Entries)
                {
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, key, YamlScalarStyle.Any, true, true));
                    Emit(emitter, value, indent + 2, indent + key.Length + 2);
                }
                emitter.Emit(new MappingEnd());
                break;
            }
        }
    }

    private static Scalar Scalar(OutScalar scalar)
    {
        if (scalar.Kind != OutKind.String)
            return new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, YamlScalarStyle.Plain, true, false);
        var style = NeedsQuotes(scalar.Text) ? YamlScalarStyle.DoubleQuoted : YamlScalarStyle.Any;
        return new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, style, true, true);
    }

    /// <summary>True when the text, written plain, would read back as something other than that text.</summary>
    public static bool NeedsQuotes(string text) =>
        ScalarKinds.OfPlain(text) != ScalarKind.String
        || Yaml11Words.Contains(text)
        || text.Any(c => char.IsControl(c))
        || text.Trim().Length != text.Length;

    /// <summary>Small leaves only: scalars, lists of scalars, and mappings of those (two levels at most).</summary>
    private static bool Flowable(OutNode node, int depth) => node switch
    {
        OutScalar => true,
        OutList list => list.Items.All(i => i is OutScalar),
        OutMap map => depth < 2 && map.Entries.All(e => Flowable(e.Value, depth + 1)),
        _ => false,
    };

    private static int Width(OutNode node) => node switch
    {
        OutScalar s => s.Text.Length + (s.Kind == OutKind.String && NeedsQuotes(s.Text) ? 2 : 0),
        OutList l => 2 + l.Items.Sum(Width) + 2 * Math.Max(0, l.Items.Count - 1),
        OutMap m => 2 + m.Entries.Sum(e => e.Key.Length + 2 + Width(e.Value)) + 2 * Math.Max(0, m.Entries.Count - 1),
        _ => 0,
    };
}
