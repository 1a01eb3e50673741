using Cohort.Cli.Commands;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli;

/// <summary>The <c>cohort</c> command. Runnable in-process with any console and clock, which is how the tests drive it.</summary>
public static class CohortCli
{
    public static async Task<int> RunAsync(
        string[] args,
        IAnsiConsole? console = null,
        TextWriter? errors = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        errors ??= Console.Error;
        var services = new ServiceCollection();
        services.AddSingleton(console);
        services.AddSingleton(clock ?? TimeProvider.System);
        ExtensionServices?.Invoke(services);

        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("cohort");
            config.ConfigureConsole(console);
            config.CancellationExitCode(ExitCodes.Cancelled);
            config.SetExceptionHandler((exception, _) => Report(exception, console, errors));
            Register(config);
        });
        return await app.RunAsync(args, cancellationToken);
    }

    /// <summary>Hook for verbs that need more services than the core set.</summary>
    internal static Action<IServiceCollection>? ExtensionServices { get; set; }

    private static void Register(IConfigurator config)
    {
        config.AddCommand<SqlCommand>("sql")
            .WithDescription("Print the SQL an audience compiles to (with its parameters), for the project's warehouse or another dialect.")
            .WithExample("sql", "high_value", "-p", "examples/shop")
            .WithExample("sql", "recent_purchasers", "--dialect", "postgres", "--as-of", "2026-11-28T09:00:00Z")
            .WithExample("sql", "draft.yaml", "--query", "blocks");
    }

    private static int Report(Exception exception, IAnsiConsole console, TextWriter errors)
    {
        switch (exception)
        {
            case CliError e:
                errors.WriteLine($"cohort: {e.Message}");
                if (e.Hint is not null) errors.WriteLine($"  {e.Hint}");
                return e.ExitCode;
            case CohortDiagnosticsException d:
                DiagnosticPrinter.Print(console, d.Diagnostics);
                return ExitCodes.InvalidDefinition;
            case CommandAppException c:
                errors.WriteLine($"cohort: {c.Message}");
                errors.WriteLine("  Run 'cohort --help' (or 'cohort <verb> --help') for usage.");
                return ExitCodes.Usage;
            case OperationCanceledException:
                errors.WriteLine("cohort: cancelled.");
                return ExitCodes.Cancelled;
            default:
                if (ExternalFailure(exception) is { } external)
                {
                    errors.WriteLine($"cohort: {external}");
                    return ExitCodes.ExternalFailure;
                }
                errors.WriteLine($"cohort: internal error: {exception.Message}");
                errors.WriteLine("  This is a bug in Cohort; please report it with the command you ran.");
                if (Environment.GetEnvironmentVariable("COHORT_DEBUG") == "1") errors.WriteLine(exception.ToString());
                return ExitCodes.InternalError;
        }
    }

    /// <summary>Failures of external systems get their own exit code; set by the warehouse layer.</summary>
    internal static Func<Exception, string?> ExternalFailure { get; set; } = _ => null;
}
