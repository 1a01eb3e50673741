using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cohort.Cli.Infrastructure;

/// <summary>Options shared by every verb that works on a project.</summary>
public class ProjectSettings : CommandSettings
{
    [CommandOption("-p|--project <PATH>")]
    [Description("The project folder or its cohort.yaml. Default: $COHORT_PROJECT, else the current folder.")]
    public string? Project { get; init; }

    [CommandOption("--json")]
    [Description("Write machine-readable JSON to stdout instead of tables.")]
    public bool Json { get; init; }

    public string ProjectPath => Project ?? Environment.GetEnvironmentVariable("COHORT_PROJECT") ?? Directory.GetCurrentDirectory();
}

/// <summary>Options for verbs that evaluate audiences at an instant.</summary>
public class EvaluationSettings : ProjectSettings
{
    [CommandOption("--as-of <INSTANT>")]
    [Description("Evaluate as of this instant (ISO 8601 with a zone, e.g. 2026-11-28T09:00:00Z). Default: now.")]
    public string? AsOf { get; init; }

    [CommandOption("--time-zone <ZONE>")]
    [Description("IANA time zone for calendar operators. Default: the project's time_zone.")]
    public string? TimeZone { get; init; }
}
