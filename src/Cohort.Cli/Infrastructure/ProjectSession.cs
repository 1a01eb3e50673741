using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Spectre.Console;

namespace Cohort.Cli.Infrastructure;

/// <summary>A loaded, validated project and the evaluation context a verb runs with.</summary>
public sealed class ProjectSession
{
    private ProjectSession(LoadedProject project) => Project = project;

    public LoadedProject Project { get; }

    /// <summary>
    /// Loads the project; on errors prints every diagnostic and throws a <see cref="CliError"/> with
    /// <see cref="ExitCodes.InvalidDefinition"/>, so no SQL ever runs on an invalid definition.
    /// </summary>
    public static ProjectSession Load(ProjectSettings settings, IAnsiConsole console)
    {
        var path = settings.ProjectPath;
        if (!File.Exists(path) && !Directory.Exists(path))
            throw CliError.Usage($"No project at '{path}'.", "Pass --project <folder> or run the command inside a project folder.");
        var project = ProjectLoader.Load(path);
        if (project.HasErrors) throw Invalid(project.Diagnostics, settings, console);
        return new ProjectSession(project);
    }

    /// <summary>An audience by name, or read from a .yaml/.json file and validated against the project.</summary>
    public AudienceDefinition Audience(string nameOrFile, ProjectSettings settings, IAnsiConsole console)
    {
        if (DocumentReader.FormatOf(nameOrFile) is { } format && File.Exists(nameOrFile))
        {
            var result = ProjectLoader.LoadAudienceText(Project, File.ReadAllText(nameOrFile), format, nameOrFile);
            if (result.Diagnostics.Any(d => d.IsError) || result.Audience is null) throw Invalid(result.Diagnostics, settings, console);
            return result.Audience;
        }
        return Project.FindAudience(nameOrFile) ?? throw CliError.UnknownAudience(nameOrFile, Project.Audiences.Select(a => a.Name));
    }

    /// <summary>Every audience of the project, with an audience read from a file taking its name's place.</summary>
    public IReadOnlyList<AudienceDefinition> AudiencesWith(AudienceDefinition audience) =>
        [.. Project.Audiences.Where(a => a.Name != audience.Name), audience];

    public EvaluationContext Evaluation(EvaluationSettings settings, TimeProvider clock)
    {
        var zoneName = settings.TimeZone ?? Project.Project.TimeZone;
        var bag = new DiagnosticBag();
        var zone = TimeZones.Find(zoneName, null, bag)
            ?? throw CliError.Usage($"Unknown time zone '{zoneName}'.", bag.Items.FirstOrDefault()?.Suggestions is { IsDefaultOrEmpty: false } s ? $"Did you mean: {string.Join(", ", s)}?" : null);
        if (settings.AsOf is null) return EvaluationContext.Now(clock, zone);
        if (!Instants.TryParse(settings.AsOf, out var asOf))
            throw CliError.Usage($"--as-of '{settings.AsOf}' is not an ISO 8601 instant with a zone.", "Example: --as-of 2026-11-28T09:00:00Z");
        return new EvaluationContext(asOf, zone);
    }

    /// <summary>Prints diagnostics (as JSON with --json) and returns the error that ends the verb with <see cref="ExitCodes.InvalidDefinition"/>.</summary>
    public static CliError Invalid(IEnumerable<Diagnostic> diagnostics, ProjectSettings settings, IAnsiConsole console)
    {
        var list = diagnostics.ToList();
        if (settings.Json)
            JsonOutput.Write(console, new { ok = false, diagnostics = list.Select(DiagnosticPrinter.ToJson) });
        else
            DiagnosticPrinter.Print(console, list);
        var errors = list.Count(d => d.IsError);
        return new CliError($"{errors} error{(errors == 1 ? "" : "s")} in the project; nothing was run.", ExitCodes.InvalidDefinition) { JsonWritten = settings.Json };
    }
}
