using System.Collections.Immutable;

namespace Cohort.Core.Diagnostics;

public enum Severity
{
    Error,
    Warning,
    Info,
}

/// <summary>Where a problem sits in a user-authored file: 1-based line and column, plus the path inside the document.</summary>
public sealed record SourceLocation(string File, int Line, int Column, string Path)
{
    public static SourceLocation None(string path = "") => new("", 0, 0, path);

    public SourceLocation WithPath(string path) => this with { Path = path };

    public override string ToString()
    {
        var position = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Path.Length == 0 ? position : $"{position} ({Path})";
    }
}

/// <summary>A problem in a user-authored definition. Collected, never thrown one at a time.</summary>
public sealed record Diagnostic(
    string Code,
    Severity Severity,
    string Message,
    SourceLocation? Location,
    ImmutableArray<string> Suggestions)
{
    public bool IsError => Severity == Severity.Error;

    public override string ToString()
    {
        var where = Location is null ? "" : $"{Location}: ";
        var hint = Suggestions.IsDefaultOrEmpty ? "" : $" Did you mean: {string.Join(", ", Suggestions)}?";
        return $"{where}{Severity.ToString().ToLowerInvariant()} {Code}: {Message}{hint}";
    }
}
