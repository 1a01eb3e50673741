using Cohort.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Cohort.Core.Documents;

/// <summary>
/// Reads YAML into a <see cref="DocNode"/> tree from YamlDotNet's parser events. The events carry the same
/// line/column marks as the representation model, but reading them directly lets every duplicate key be
/// reported (the representation model stops at the first) and keeps the scalar styles that decide typing.
/// </summary>
internal sealed class YamlDocumentReader
{
    private const int MaxDepth = 256;
    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly IParser _parser;
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, DocNode> _anchors = new(StringComparer.Ordinal);
    private Mark _lastMark = Mark.Empty;

    private YamlDocumentReader(string text, string file, DiagnosticBag diagnostics)
    {
        _parser = new Parser(new StringReader(text));
        _file = file;
        _diagnostics = diagnostics;
    }

    public static DocNode? Read(string text, string file, DiagnosticBag diagnostics) =>
        new YamlDocumentReader(text, file, diagnostics).ReadStream();

    private DocNode? ReadStream()
    {
        try
        {
            Next(); // StreamStart
            Next();
            if (_parser.Current is StreamEnd)
            {
                _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.EmptyDocument, At(_parser.Current.Start, ""));
                return null;
            }
            Next(); // DocumentStart
            var root = ReadNode("", 0);
            if (_parser.Current is not DocumentEnd)
                throw new InvalidOperationException("Expected the end of the document.");
            Next();
            if (_parser.Current is DocumentStart second)
            {
                _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.SeveralYamlDocuments, At(second.Start, ""));
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.MalformedYaml(e.Message), At(e.Start, ""));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.MalformedYaml(null), At(_lastMark, ""));
            return null;
        }
    }

    private void Next()
    {
        if (_parser.Current is { } current) _lastMark = current.End;
        if (!_parser.MoveNext())
            throw new InvalidOperationException("Unexpected end of the YAML stream.");
    }

    /// <summary>Reads the node at the current event and leaves the parser on the event after it.</summary>
    private DocNode? ReadNode(string path, int depth)
    {
        var current = _parser.Current ?? throw new InvalidOperationException("No current YAML event.");
        if (depth > MaxDepth)
            throw new YamlException(current.Start, current.End, Messages.NestedTooDeeply);
        switch (current)
        {
            case Scalar scalar:
            {
                Next();
                var style = (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag) || scalar.Style != YamlScalarStyle.Plain ? ScalarStyle.Quoted : ScalarStyle.Plain;
                return Remember(scalar, new DocScalar(At(scalar.Start, path), scalar.Value, style));
            }
            case SequenceStart start:
            {
                Next();
                var items = new List<DocNode>();
                while (_parser.Current is not SequenceEnd)
                {
                    var item = ReadNode(DocumentPath.Index(path, items.Count), depth + 1);
                    items.Add(item ?? new DocScalar(At(_lastMark, DocumentPath.Index(path, items.Count)), "", ScalarStyle.Null));
                }
                Next();
                return Remember(start, new DocSequence(At(start.Start, path), items));
            }
            case MappingStart start:
            {
                Next();
                var entries = new List<DocEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (_parser.Current is not MappingEnd)
                    ReadEntry(path, depth, entries, seen);
                Next();
                return Remember(start, new DocMapping(At(start.Start, path), entries));
            }
            case AnchorAlias alias:
            {
                Next();
                if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.UnknownYamlAnchor(alias.Value.Value), At(alias.Start, path));
                return null;
            }
            default:
                throw new YamlException(current.Start, current.End, Messages.UnexpectedYamlEvent);
        }
    }

    private void ReadEntry(string path, int depth, List<DocEntry> entries, HashSet<string> seen)
    {
        var keyEvent = _parser.Current!;
        if (keyEvent is not Scalar keyScalar)
        {
            _diagnostics.Error(DiagnosticCodes.WrongNodeKind, Messages.KeyMustBeText, At(keyEvent.Start, path));
            ReadNode(path, depth + 1);
            ReadNode(path, depth + 1);
            return;
        }
        Next();
        var key = keyScalar.Value;
        var keyPath = DocumentPath.Key(path, key);
        var keyLocation = At(keyScalar.Start, keyPath);
        var value = ReadNode(keyPath, depth + 1) ?? new DocScalar(keyLocation, "", ScalarStyle.Null);
        if (!seen.Add(key))
        {
            _diagnostics.Error(DiagnosticCodes.DuplicateKey, Messages.DuplicateKey(key), keyLocation);
            return;
        }
        entries.Add(new DocEntry(key, keyLocation, value));
    }

    private DocNode Remember(NodeEvent node, DocNode value)
    {
        if (!node.Anchor.IsEmpty) _anchors[node.Anchor.Value] = value;
        return value;
    }

    private SourceLocation At(Mark mark, string path) =>
        new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), path);
}
