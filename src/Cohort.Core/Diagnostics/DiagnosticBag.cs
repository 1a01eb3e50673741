using System.Collections.Immutable;

namespace Cohort.Core.Diagnostics;

/// <summary>Collects diagnostics so every problem in a definition is reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Error(string code, string message, SourceLocation? location, IEnumerable<string>? suggestions = null) =>
        _items.Add(new Diagnostic(code, Severity.Error, message, location, suggestions?.ToImmutableArray() ?? []));

    public void Warning(string code, string message, SourceLocation? location, IEnumerable<string>? suggestions = null) =>
        _items.Add(new Diagnostic(code, Severity.Warning, message, location, suggestions?.ToImmutableArray() ?? []));

    public ImmutableArray<Diagnostic> ToImmutable() => [.. _items];
}

/// <summary>Thrown only at an API boundary, carrying every diagnostic collected.</summary>
public sealed class CohortDiagnosticsException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(Describe(diagnostics))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 1
            ? diagnostics[0].ToString()
            : $"{diagnostics.Count(d => d.IsError)} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}";
}
