using Cohort.Cli.Commands;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Diagnostics;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Warehouses;
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
        services.AddSingleton(_ => DestinationCatalog.CreateDefault());
        services.AddSingleton(SecretResolver.Default);
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
        config.AddCommand<ValidateCommand>("validate")
            .WithDescription("Check the project's schema and audiences, then the schema against the live warehouse.")
            .WithExample("validate", "-p", "examples/shop")
            .WithExample("validate", "--offline", "--json");
        config.AddCommand<PreviewCommand>("preview")
            .WithDescription("Size of an audience, the count after each top-level block, a masked sample, a breakdown and overlaps.")
            .WithExample("preview", "high_value", "-p", "examples/shop")
            .WithExample("preview", "engaged_gb_or_us", "--breakdown", "country", "--overlap", "high_value,recent_purchasers")
            .WithExample("preview", "draft.yaml", "--sample", "0", "--json");
        config.AddCommand<SqlCommand>("sql")
            .WithDescription("Print the SQL an audience compiles to (with its parameters), for the project's warehouse or another dialect.")
            .WithExample("sql", "high_value", "-p", "examples/shop")
            .WithExample("sql", "recent_purchasers", "--dialect", "postgres", "--as-of", "2026-11-28T09:00:00Z")
            .WithExample("sql", "draft.yaml", "--query", "blocks");
        config.AddBranch<EvaluationSettings>("sync", sync =>
        {
            sync.SetDescription("Plan, run and inspect syncs: keep destinations in step with audiences (docs/sync.md).");
            sync.AddCommand<SyncPlanCommand>("plan")
                .WithDescription("Dry run: what a run would send (rows added, changed, removed), without sending anything.")
                .WithExample("sync", "plan", "high_value_export", "-p", "examples/shop")
                .WithExample("sync", "plan", "high_value_export", "--sample", "20", "--json");
            sync.AddCommand<SyncRunCommand>("run")
                .WithDescription("Send the sync's changes to its destination, commit what it confirmed, and record the run.")
                .WithExample("sync", "run", "high_value_export", "-p", "examples/shop")
                .WithExample("sync", "run", "engaged_to_crm", "--json");
            sync.AddCommand<SyncHistoryCommand>("history")
                .WithDescription("The sync's recent runs: status, rows planned, succeeded, failed, skipped, pending, timings.")
                .WithExample("sync", "history", "high_value_export", "-p", "examples/shop")
                .WithExample("sync", "history", "high_value_export", "--limit", "5", "--json");
            sync.AddCommand<SyncErrorsCommand>("errors")
                .WithDescription("Rows a run did not confirm (invalid, rejected, pending), each with its reason.")
                .WithExample("sync", "errors", "high_value_export", "-p", "examples/shop")
                .WithExample("sync", "errors", "high_value_export", "--run", "12", "--json");
        });
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
            case WarehouseException w:
                errors.WriteLine($"cohort: {w.Message}");
                if (w.IsTransient) errors.WriteLine("  This looks temporary; trying again may work.");
                return ExitCodes.ExternalFailure;
            case OperationCanceledException:
                errors.WriteLine("cohort: cancelled.");
                return ExitCodes.Cancelled;
            default:
                errors.WriteLine($"cohort: internal error: {exception.Message}");
                errors.WriteLine("  This is a bug in Cohort; please report it with the command you ran.");
                if (Environment.GetEnvironmentVariable("COHORT_DEBUG") == "1") errors.WriteLine(exception.ToString());
                return ExitCodes.InternalError;
        }
    }
}
