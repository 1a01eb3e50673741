using System.Text.Json;
using Cohort.Core.Diagnostics;
using Spectre.Console;

namespace Cohort.Cli.Infrastructure;

/// <summary>Shows diagnostics the same way in every verb: file:line:column, severity, code, message, hint.</summary>
public static class DiagnosticPrinter
{
    public static void Print(IAnsiConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var colour = d.Severity switch
            {
                Severity.Error => "red",
                Severity.Warning => "yellow",
                _ => "blue",
            };
            var where = d.Location is { } l
                ? (l.Line > 0 ? $"{l.File}:{l.Line}:{l.Column}" : l.File) + (l.Path.Length > 0 ? $" ({l.Path})" : "")
                : "";
            console.MarkupLine($"{Markup.Escape(where)}{(where.Length > 0 ? ": " : "")}[{colour}]{d.Severity.ToString().ToLowerInvariant()} {d.Code}[/]: {Markup.Escape(d.Message)}");
            if (!d.Suggestions.IsDefaultOrEmpty)
                console.MarkupLine($"    [grey]did you mean:[/] {Markup.Escape(string.Join(", ", d.Suggestions))}");
        }
    }

    public static object ToJson(Diagnostic d) => new
    {
        code = d.Code,
        severity = d.Severity.ToString().ToLowerInvariant(),
        message = d.Message,
        file = d.Location?.File,
        line = d.Location?.Line,
        column = d.Location?.Column,
        path = d.Location?.Path,
        suggestions = d.Suggestions.IsDefault ? [] : d.Suggestions.ToArray(),
    };
}

/// <summary>JSON output for scripts: camel-case, indented, stable.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(IAnsiConsole console, object value) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Options));

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options);
}
