using Cohort.Cli.Commands;
using Cohort.Cli.Infrastructure;
using System.Reflection;
using Cohort.Core.Diagnostics;
using Cohort.Demo;
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

        var json = args.Contains("--json", StringComparer.Ordinal);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("cohort");
            config.SetApplicationVersion(Version);
            // Unknown options are usage errors, not silently ignored.
            config.UseStrictParsing();
            config.ConfigureConsole(console);
            config.CancellationExitCode(ExitCodes.Cancelled);
            config.SetExceptionHandler((exception, _) => Report(exception, console, errors, json));
            Register(config);
        });
        if (args.Length == 0)
        {
            // No verb is a usage error: show the help, and say so in the exit code.
            await app.RunAsync(["--help"], cancellationToken);
            return ExitCodes.Usage;
        }
        return await app.RunAsync(args, cancellationToken);
    }

    /// <summary>The version shown by <c>cohort --version</c> (without the source revision).</summary>
    public static string Version { get; } =
        (typeof(CohortCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>Hook for verbs that need more services than the core set.</summary>
    internal static Action<IServiceCollection>? ExtensionServices { get; set; }

    private static void Register(IConfigurator config)
    {
        config.AddCommand<DemoCommand>("demo")
            .WithDescription("Build the demo warehouse and project, validate it, and evaluate every demo audience.")
            .WithExample("demo")
            .WithExample("demo", "--scale", "100k", "--dir", "/tmp/cohort-demo")
            .WithExample("demo", "--seed", "7", "--as-of", "2026-11-28T09:00:00Z", "--json")
            .WithExample("demo", "--warehouse", "postgres", "--connection-string-env", "COHORT_PG", "--schema", "cohort_demo");
        config.AddCommand<InitCommand>("init")
            .WithDescription("Describe an existing DuckDB file or PostgreSQL database as a proposed project to edit.")
            .WithExample("init", "--duckdb", "shop.duckdb", "--dir", "shop")
            .WithExample("init", "--postgres-env", "SHOP_PG", "--schema", "analytics", "--dir", "shop")
            .WithExample("init", "--duckdb", "cohort-demo/demo.duckdb", "--dir", "mine", "--force", "--json");
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
        config.AddCommand<ServeCommand>("serve")
            .WithDescription("Run the API and the Studio (web UI) with the scheduler, on 127.0.0.1:5080 by default.")
            .WithExample("serve", "-p", "examples/shop")
            .WithExample("serve", "--port", "8080", "--store", "postgres:Host=db;Database=cohort;Username=cohort");
        config.AddCommand<ApplyCommand>("apply")
            .WithDescription("Import the YAML project (schema, audiences, destinations, syncs) into the metadata store; shows what changed.")
            .WithExample("apply", "-p", "examples/shop")
            .WithExample("apply", "--prune", "--store", "sqlite:cohort.db");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write the metadata store back as the YAML project, so definitions edited in the Studio can be committed.")
            .WithExample("export", "-p", "examples/shop", "--out", "exported");
        config.AddBranch("identity", identity =>
        {
            identity.SetDescription("Resolve identities in the warehouse: one cohort id per person across sources (docs/identity.md).");
            identity.AddCommand<IdentityRunCommand>("run")
                .WithDescription("Build the identity graph from identity.yaml and swap it in atomically (cohort_state.identity_*).")
                .WithExample("identity", "run", "-p", "cohort-demo")
                .WithExample("identity", "run", "--incremental", "--json");
            identity.AddCommand<IdentityExplainCommand>("explain")
                .WithDescription("A cohort's records, identifiers and the edges that joined them (which value, which rows, which rule).")
                .WithExample("identity", "explain", "c_0a1b2c3d4e5f6a7b", "-p", "cohort-demo")
                .WithExample("identity", "explain", "c_0a1b2c3d4e5f6a7b", "--show-values", "--json");
            identity.AddCommand<IdentityWhyCommand>("why")
                .WithDescription("Why two records are one profile (the shortest path), or what kept them apart (blocked value, limit rule).")
                .WithExample("identity", "why", "customers:42", "crm_contacts:17", "-p", "cohort-demo")
                .WithExample("identity", "why", "web_visitors:3", "app_users:9", "--json");
            identity.AddCommand<IdentityEvaluateCommand>("evaluate")
                .WithDescription("Pairwise and B-cubed precision, recall and F1 against a truth table (the demo's identity_truth).")
                .WithExample("identity", "evaluate", "-p", "cohort-demo")
                .WithExample("identity", "evaluate", "--truth", "identity_truth", "--json");
        });
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

    /// <summary>
    /// Reports a failure in one or two lines on stderr (never a stack trace, unless COHORT_DEBUG=1 for internal
    /// errors) and returns its exit code. With --json, stdout also gets <c>{"ok": false, "exitCode", "error"}</c>
    /// unless the verb already wrote its own JSON (diagnostics).
    /// </summary>
    private static int Report(Exception exception, IAnsiConsole console, TextWriter errors, bool json)
    {
        var (code, kind, message, hint) = exception switch
        {
            CliError e => (e.ExitCode, e.ExitCode == ExitCodes.InvalidDefinition ? "invalid_definition" : "usage", e.Message, e.Hint),
            CohortDiagnosticsException => (ExitCodes.InvalidDefinition, "invalid_definition", exception.Message, null),
            CommandAppException c => (ExitCodes.Usage, "usage", c.Message, "Run 'cohort --help' (or 'cohort <verb> --help') for usage."),
            WarehouseException w => (ExitCodes.ExternalFailure, "warehouse", w.Message, w.IsTransient ? "This looks temporary; trying again may work." : null),
            DemoException d => (ExitCodes.Usage, "usage", d.Message, null),
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled", "cancelled.", null),
            _ => (ExitCodes.InternalError, "internal", $"internal error: {exception.Message}", "This is a bug in Cohort; please report it with the command you ran."),
        };
        if (exception is CohortDiagnosticsException diagnostics)
        {
            if (json) JsonOutput.Write(console, new { ok = false, exitCode = code, diagnostics = diagnostics.Diagnostics.Select(DiagnosticPrinter.ToJson) });
            else DiagnosticPrinter.Print(console, diagnostics.Diagnostics);
            return code;
        }
        errors.WriteLine($"cohort: {message}");
        if (hint is not null) errors.WriteLine($"  {hint}");
        if (kind == "internal" && Environment.GetEnvironmentVariable("COHORT_DEBUG") == "1") errors.WriteLine(exception.ToString());
        if (json && exception is not CliError { JsonWritten: true })
            JsonOutput.Write(console, new { ok = false, exitCode = code, error = new { kind, message, hint } });
        return code;
    }
}
