using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Documents;

/// <summary>
/// Reads JSON into a <see cref="DocNode"/> tree with <see cref="Utf8JsonReader"/>, turning byte offsets into
/// 1-based lines and columns (columns count characters, not bytes). Strict JSON: no comments, no trailing commas.
/// </summary>
internal sealed partial class JsonDocumentReader
{
    private const int MaxDepth = 256;

    private readonly byte[] _bytes;
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<int> _lineStarts = [0];

    private JsonDocumentReader(byte[] bytes, string file, DiagnosticBag diagnostics)
    {
        _bytes = bytes;
        _file = file;
        _diagnostics = diagnostics;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') _lineStarts.Add(i + 1);
        }
    }

    public static DocNode? Read(string text, string file, DiagnosticBag diagnostics) =>
        new JsonDocumentReader(Encoding.UTF8.GetBytes(text), file, diagnostics).ReadRoot();

    private DocNode? ReadRoot()
    {
        var reader = new Utf8JsonReader(_bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.EmptyDocument, At(0, ""));
                return null;
            }
            var root = ReadValue(ref reader, "");
            if (reader.Read())
                throw new JsonException(Messages.TrailingJson);
            return root;
        }
        catch (JsonException e)
        {
            var location = e.LineNumber is { } line && e.BytePositionInLine is { } column
                ? AtLine((int)line, (int)column)
                : At((int)reader.TokenStartIndex, "");
            _diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.MalformedJson(CleanMessage(e.Message)), location);
            return null;
        }
    }

    /// <summary>Reads the value at the current token; leaves the reader on its last token.</summary>
    private DocNode ReadValue(ref Utf8JsonReader reader, string path)
    {
        var start = At((int)reader.TokenStartIndex, path);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var entries = new List<DocEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    var keyPath = DocumentPath.Key(path, key);
                    var keyLocation = At((int)reader.TokenStartIndex, keyPath);
                    reader.Read();
                    var value = ReadValue(ref reader, keyPath);
                    if (seen.Add(key))
                        entries.Add(new DocEntry(key, keyLocation, value));
                    else
                        _diagnostics.Error(DiagnosticCodes.DuplicateKey, Messages.DuplicateKey(key), keyLocation);
                }
                return new DocMapping(start, entries);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, DocumentPath.Index(path, items.Count)));
                return new DocSequence(start, items);
            }
            case JsonTokenType.String:
                return new DocScalar(start, reader.GetString()!, ScalarStyle.Quoted);
            case JsonTokenType.Number:
                return new DocScalar(start, Encoding.UTF8.GetString(reader.ValueSpan), ScalarStyle.Number);
            case JsonTokenType.True:
                return new DocScalar(start, "true", ScalarStyle.Boolean);
            case JsonTokenType.False:
                return new DocScalar(start, "false", ScalarStyle.Boolean);
            case JsonTokenType.Null:
                return new DocScalar(start, "null", ScalarStyle.Null);
            default:
                throw new JsonException(Messages.UnexpectedJsonToken(reader.TokenType.ToString()));
        }
    }

    private SourceLocation At(int offset, string path)
    {
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0) line = ~line - 1;
        return new SourceLocation(_file, line + 1, Characters(_lineStarts[line], offset) + 1, path);
    }

    private SourceLocation AtLine(int zeroBasedLine, int bytesInLine)
    {
        if (zeroBasedLine >= _lineStarts.Count) return At(_bytes.Length, "");
        var lineStart = _lineStarts[zeroBasedLine];
        return new SourceLocation(_file, zeroBasedLine + 1, Characters(lineStart, Math.Min(_bytes.Length, lineStart + bytesInLine)) + 1, "");
    }

    /// <summary>Counts UTF-8 encoded characters (lead bytes) in a byte range.</summary>
    private int Characters(int from, int to)
    {
        var count = 0;
        for (var i = from; i < to && i < _bytes.Length; i++)
        {
            if ((_bytes[i] & 0xC0) != 0x80) count++;
        }
        return count;
    }

    private static string CleanMessage(string message) =>
        PositionSuffix().Replace(message, "").Replace(" Change the reader options.", "", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex PositionSuffix();
}
