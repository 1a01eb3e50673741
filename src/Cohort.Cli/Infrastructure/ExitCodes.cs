namespace Cohort.Cli.Infrastructure;

/// <summary>The exit codes every verb uses; documented in docs/cli.md.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A user-authored definition (project, schema, audience) has errors; see the diagnostics.</summary>
    public const int InvalidDefinition = 1;

    /// <summary>The command line itself is wrong: an unknown verb, option or value.</summary>
    public const int Usage = 2;

    /// <summary>The warehouse (or another external system) failed; the message says whether a retry may help.</summary>
    public const int ExternalFailure = 3;

    /// <summary>A bug in Cohort. Please report it with the command you ran.</summary>
    public const int InternalError = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
