using Cohort.Core.Diagnostics;

namespace Cohort.Cli.Infrastructure;

/// <summary>A failure to report to the user in one line (plus a hint), with its exit code. Never a stack trace.</summary>
public sealed class CliError(string message, int exitCode, string? hint = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string? Hint { get; } = hint;

    /// <summary>The verb already wrote its JSON answer (for example the diagnostics); do not write another.</summary>
    public bool JsonWritten { get; init; }

    public static CliError Usage(string message, string? hint = null) => new(message, ExitCodes.Usage, hint);

    public static CliError UnknownAudience(string name, IEnumerable<string> known)
    {
        var nearest = NameSuggester.Nearest(name, known);
        return new CliError($"There is no audience named '{name}' in the project.", ExitCodes.Usage,
            nearest.Count > 0 ? $"Did you mean: {string.Join(", ", nearest)}?" : "Run 'cohort validate' to list the project's audiences.");
    }
}
