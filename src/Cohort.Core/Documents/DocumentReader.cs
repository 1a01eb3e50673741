using Cohort.Core.Diagnostics;

namespace Cohort.Core.Documents;

/// <summary>Reads YAML or JSON definition files into located <see cref="DocNode"/> trees, reporting problems as diagnostics.</summary>
public static class DocumentReader
{
    /// <summary>The format a file is written in, by its extension (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>); null when neither.</summary>
    public static DocumentFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => DocumentFormat.Yaml,
        ".json" => DocumentFormat.Json,
        _ => null,
    };

    /// <summary>
    /// Reads a file, choosing the format by extension. Returns null (with a diagnostic) when the file is missing,
    /// unreadable, of another format or malformed. <paramref name="displayName"/> is the name diagnostics use
    /// for the file (default: <paramref name="path"/> as given).
    /// </summary>
    public static DocNode? ReadFile(string path, DiagnosticBag diagnostics, string? displayName = null)
    {
        var name = displayName ?? path;
        if (FormatOf(path) is not { } format)
        {
            diagnostics.Error(DiagnosticCodes.MalformedDocument, Messages.UnsupportedExtension(Path.GetExtension(path)), new SourceLocation(name, 0, 0, ""));
            return null;
        }
        if (!File.Exists(path))
        {
            diagnostics.Error(DiagnosticCodes.FileNotFound, Messages.FileNotFound(name), new SourceLocation(name, 0, 0, ""));
            return null;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(DiagnosticCodes.FileNotFound, Messages.FileUnreadable(name, e.Message), new SourceLocation(name, 0, 0, ""));
            return null;
        }
        return ReadText(text, format, name, diagnostics);
    }

    /// <summary>Reads a document held in memory; <paramref name="fileName"/> is used in diagnostics.</summary>
    public static DocNode? ReadText(string text, DocumentFormat format, string fileName, DiagnosticBag diagnostics)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        return format == DocumentFormat.Json
            ? JsonDocumentReader.Read(text, fileName, diagnostics)
            : YamlDocumentReader.Read(text, fileName, diagnostics);
    }
}
