using System.ComponentModel;
using System.Globalization;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Demo;
using Cohort.Warehouses;
using Cohort.Warehouses.Preview;
using Cohort.Warehouses.Projects;
using Cohort.Warehouses.Validation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>
/// <c>cohort demo</c>: builds the demo warehouse (atomically; re-running replaces it) and the demo project, validates
/// the project against the warehouse, then evaluates every audience and shows its size, the count after each
/// top-level block and how long the query took.
/// </summary>
public sealed class DemoCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-d|--dir <DIR>")]
        [Description("Folder for the demo project (and its DuckDB file). Created if missing.")]
        [DefaultValue("cohort-demo")]
        public string Dir { get; init; } = "cohort-demo";

        [CommandOption("-s|--scale <CUSTOMERS>")]
        [Description("Customers to generate: 100 to 10m, e.g. 2000, 10k, 1m. About 30 events each.")]
        [DefaultValue("10k")]
        public string Scale { get; init; } = "10k";

        [CommandOption("--seed <SEED>")]
        [Description("Seed of every random choice; the same seed and --as-of give the same data.")]
        [DefaultValue(DemoOptions.DefaultSeed)]
        public long Seed { get; init; } = DemoOptions.DefaultSeed;

        [CommandOption("--as-of <INSTANT>")]
        [Description("The instant the data leads up to, and the audiences are evaluated at (ISO 8601 with a zone). Default: now.")]
        public string? AsOf { get; init; }

        [CommandOption("-w|--warehouse <TYPE>")]
        [Description("duckdb (a file in --dir) or postgres.")]
        [DefaultValue("duckdb")]
        public string Warehouse { get; init; } = "duckdb";

        [CommandOption("--connection-string-env <VAR>")]
        [Description("postgres: the environment variable holding the connection string.")]
        public string? ConnectionStringEnv { get; init; }

        [CommandOption("--schema <SCHEMA>")]
        [Description("postgres: the schema to (re)create the demo in.")]
        [DefaultValue(DemoWarehouse.DefaultSchema)]
        public string Schema { get; init; } = DemoWarehouse.DefaultSchema;

        [CommandOption("--threads <N>")]
        [Description("duckdb: worker threads. Default: one per core.")]
        public int? Threads { get; init; }

        [CommandOption("--force")]
        [Description("Write into --dir even if it holds files that cohort demo did not make.")]
        public bool Force { get; init; }

        [CommandOption("--json")]
        [Description("Write machine-readable JSON to stdout instead of tables.")]
        public bool Json { get; init; }

        public int Customers => DemoOptions.TryParseScale(Scale, out var n) ? n : 0;

        public override ValidationResult Validate()
        {
            if (!DemoOptions.TryParseScale(Scale, out var customers))
                return ValidationResult.Error($"--scale '{Scale}' is not a number of customers such as 2000, 10k or 1m.");
            if (customers is < DemoOptions.MinCustomers or > DemoOptions.MaxCustomers)
                return ValidationResult.Error($"--scale must be between {DemoOptions.MinCustomers:N0} and {DemoOptions.MaxCustomers:N0} customers.");
            if (Seed < 0) return ValidationResult.Error("--seed must not be negative.");
            if (Warehouse is not ("duckdb" or "postgres")) return ValidationResult.Error("--warehouse must be duckdb or postgres.");
            if (Warehouse == "postgres" && ConnectionStringEnv is null)
                return ValidationResult.Error("--warehouse postgres needs --connection-string-env <VAR>, the environment variable holding the connection string.");
            if (Warehouse == "duckdb" && ConnectionStringEnv is not null)
                return ValidationResult.Error("--connection-string-env applies to --warehouse postgres only.");
            if (Threads is <= 0) return ValidationResult.Error("--threads must be positive.");
            if (!DemoWarehouse.IsValidSchemaName(Schema)) return ValidationResult.Error("--schema " + DemoWarehouse.SchemaNameRule(Schema));
            if (AsOf is not null && !Instants.TryParse(AsOf, out _))
                return ValidationResult.Error($"--as-of '{AsOf}' is not an ISO 8601 instant with a zone, such as 2026-11-28T09:00:00Z.");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var directory = Path.GetFullPath(settings.Dir);
        if (!settings.Force && !DemoProject.CanWriteTo(directory))
            throw CliError.Usage($"The folder '{settings.Dir}' holds files that 'cohort demo' did not make; it will not write there.",
                "Pass --dir with a new or empty folder, or --force to write into this one anyway.");
        var options = new DemoOptions
        {
            Customers = settings.Customers,
            Seed = settings.Seed,
            AnchorUtc = settings.AsOf is { } asOf && Instants.TryParse(asOf, out var instant) ? instant : clock.GetUtcNow().UtcDateTime,
        };
        DemoProjectWarehouse target = settings.Warehouse == "postgres"
            ? new DemoProjectWarehouse.Postgres(settings.ConnectionStringEnv!, settings.Schema)
            : new DemoProjectWarehouse.DuckDb(DemoProject.DefaultDatabaseFile);
        string? connectionString = null;
        if (target is DemoProjectWarehouse.Postgres pg)
        {
            connectionString = Environment.GetEnvironmentVariable(pg.ConnectionStringEnv);
            if (string.IsNullOrWhiteSpace(connectionString))
                throw CliError.Usage($"The environment variable {pg.ConnectionStringEnv} is not set.", "Set it to a PostgreSQL connection string, e.g. Host=localhost;Username=me;Database=shop.");
        }

        var run = new DemoRun(console, clock, settings, options, directory, target, connectionString);
        var report = settings.Json || !console.Profile.Capabilities.Interactive
            ? await run.ExecuteAsync(null, cancellationToken)
            : await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(ctx => run.ExecuteAsync(ctx, cancellationToken));
        report = report with { Elapsed = clock.GetElapsedTime(started) };

        if (settings.Json) JsonOutput.Write(console, DemoJson.From(report));
        else DemoRenderer.Render(console, report);
        return report.Errors > 0 ? ExitCodes.InvalidDefinition : ExitCodes.Success;
    }
}

internal sealed record DemoAudienceResult(string Name, string? Description, long Count, IReadOnlyList<BlockCount> Blocks, TimeSpan Elapsed);

internal sealed record DemoReport(
    string Directory,
    DemoProjectWarehouse Warehouse,
    string Location,
    DemoSummary Generation,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<DemoAudienceResult> Audiences,
    long Customers,
    TimeSpan Elapsed)
{
    public int Errors => Diagnostics.Count(d => d.IsError);
}

/// <summary>The steps of <c>cohort demo</c>, reporting to a Spectre progress display when there is one.</summary>
internal sealed class DemoRun(
    IAnsiConsole console,
    TimeProvider clock,
    DemoCommand.Settings settings,
    DemoOptions options,
    string directory,
    DemoProjectWarehouse target,
    string? connectionString)
{
    public async Task<DemoReport> ExecuteAsync(ProgressContext? progress, CancellationToken ct)
    {
        var generate = progress?.AddTask("Generating the demo warehouse", maxValue: DemoGenerator.StepCount(options));
        var validate = progress?.AddTask("Validating the project", autoStart: false, maxValue: 1);
        var evaluate = progress?.AddTask("Evaluating audiences", autoStart: false, maxValue: DemoProject.AudienceNames.Count);
        if (progress is null && !settings.Json)
            console.MarkupLine($"[grey]Generating {options.Customers:N0} customers (seed {options.Seed}) ...[/]");

        var reporter = new StepReporter(p =>
        {
            if (generate is null) return;
            generate.Value = p.Completed;
            generate.Description = p.Completed < p.Total ? p.Description : "Generated the demo warehouse";
        });
        Directory.CreateDirectory(directory);
        string location;
        DemoSummary summary;
        switch (target)
        {
            case DemoProjectWarehouse.Postgres pg:
                summary = await DemoWarehouse.BuildPostgresAsync(connectionString!, options, pg.Schema, reporter, clock, ct);
                location = $"PostgreSQL schema {pg.Schema} (${pg.ConnectionStringEnv})";
                break;
            case DemoProjectWarehouse.DuckDb duck:
                var path = Path.Combine(directory, duck.Path);
                summary = await DemoWarehouse.BuildDuckDbAsync(path, options, settings.Threads, reporter, clock, ct);
                location = path;
                break;
            default:
                throw new InvalidOperationException();
        }
        generate?.StopTask();

        validate?.StartTask();
        DemoProject.Write(directory, target, options);
        var project = ProjectLoader.Load(directory);
        var diagnostics = new List<Diagnostic>(project.Diagnostics);
        await using var warehouse = await ProjectWarehouse.OpenAsync(project.Project, threads: settings.Threads, cancellationToken: ct);
        if (!project.HasErrors)
        {
            var schemaName = project.Project.Warehouse is WarehouseConfig.Postgres p ? p.Schema : null;
            diagnostics.AddRange(await new SchemaChecker(warehouse, schemaName).CheckAsync(project.Schema, ct));
        }
        validate?.Increment(1);
        validate?.StopTask();

        var results = new List<DemoAudienceResult>();
        if (!diagnostics.Any(d => d.IsError))
        {
            evaluate?.StartTask();
            var ctx = new EvaluationContext(options.AnchorUtc, project.Project.ResolveTimeZone());
            var service = new AudiencePreviewService(warehouse, project.Schema, project.Audiences, clock);
            foreach (var audience in project.Audiences)
            {
                if (evaluate is not null) evaluate.Description = $"Evaluating {audience.Name}";
                var start = clock.GetTimestamp();
                var (blocks, total) = await service.BlockCountsAsync(audience, ctx, ct);
                results.Add(new DemoAudienceResult(audience.Name, audience.Description, total, blocks, clock.GetElapsedTime(start)));
                evaluate?.Increment(1);
            }
            if (evaluate is not null) evaluate.Description = "Evaluated every audience";
            evaluate?.StopTask();
        }
        return new DemoReport(directory, target, location, summary, diagnostics, results, summary.RowsOf("customers"), TimeSpan.Zero);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class StepReporter(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}

internal static class DemoJson
{
    public static object From(DemoReport r) => new
    {
        ok = r.Errors == 0,
        project = r.Directory,
        warehouse = r.Warehouse switch
        {
            DemoProjectWarehouse.Postgres pg => (object)new { type = "postgres", schema = pg.Schema, connectionStringEnv = pg.ConnectionStringEnv },
            _ => new { type = "duckdb", path = r.Location },
        },
        seed = r.Generation.Options.Seed,
        customers = r.Generation.Options.Customers,
        asOf = ParameterText.Instant(r.Generation.Options.AnchorUtc),
        generation = new
        {
            elapsedMs = Ms(r.Generation.Elapsed),
            tables = r.Generation.Tables.Select(t => new { table = t.Table, rows = t.Rows }),
        },
        diagnostics = r.Diagnostics.Select(DiagnosticPrinter.ToJson),
        audiences = r.Audiences.Select(a => new
        {
            name = a.Name,
            description = a.Description,
            count = a.Count,
            elapsedMs = Ms(a.Elapsed),
            blocks = a.Blocks.Select(b => new { index = b.Index, label = b.Label, count = b.Count }),
        }),
        elapsedMs = Ms(r.Elapsed),
    };

    private static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);
}

internal static class DemoRenderer
{
    public static void Render(IAnsiConsole console, DemoReport r)
    {
        var o = r.Generation.Options;
        var events = r.Generation.RowsOf("events");
        console.MarkupLine($"[green]✓[/] Demo warehouse: [bold]{Markup.Escape(r.Location)}[/]");
        console.MarkupLine($"  {o.Customers:N0} customers, {r.Generation.RowsOf("orders"):N0} orders, {events:N0} events " +
                           $"[grey](seed {o.Seed}, data up to {ParameterText.Instant(o.AnchorUtc)}, generated in {Seconds(r.Generation.Elapsed)})[/]");
        console.MarkupLine($"[green]✓[/] Demo project: [bold]{Markup.Escape(r.Directory)}[/]");
        if (r.Diagnostics.Count > 0) DiagnosticPrinter.Print(console, r.Diagnostics);
        if (r.Errors > 0)
        {
            console.MarkupLine($"[red]✗[/] The demo project has {r.Errors} error(s); no audience was evaluated.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Audiences as of {ParameterText.Instant(o.AnchorUtc)}")
            .AddColumn(new TableColumn("audience").NoWrap())
            .AddColumn(new TableColumn("members").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("ms").RightAligned())
            .AddColumn("count after each block");
        foreach (var a in r.Audiences)
        {
            var share = r.Customers > 0 ? $"{100.0 * a.Count / r.Customers:0.0}%" : "";
            var blocks = string.Join(" → ", a.Blocks.Select(b => b.Count.ToString("N0", CultureInfo.InvariantCulture)));
            table.AddRow(Markup.Escape(a.Name), a.Count.ToString("N0", CultureInfo.InvariantCulture), share,
                a.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture), Markup.Escape(blocks));
        }
        console.Write(table);
        var slowest = r.Audiences.Count > 0 ? r.Audiences.MaxBy(a => a.Elapsed) : null;
        console.MarkupLine($"[grey]{r.Audiences.Count} audiences evaluated in {Seconds(TimeSpan.FromTicks(r.Audiences.Sum(a => a.Elapsed.Ticks)))}" +
                           (slowest is null ? "" : $" (slowest: {Markup.Escape(slowest.Name)}, {slowest.Elapsed.TotalMilliseconds:0} ms)") +
                           $"; total {Seconds(r.Elapsed)}.[/]");
        var project = Quote(Path.GetRelativePath(Directory.GetCurrentDirectory(), r.Directory));
        console.MarkupLine("Next:");
        console.MarkupLine($"  cohort preview lapsed_vips -p {Markup.Escape(project)} --as-of {ParameterText.Instant(o.AnchorUtc)}");
        console.MarkupLine($"  cohort sql cart_abandoners_24h -p {Markup.Escape(project)}");
        console.MarkupLine($"  cohort validate -p {Markup.Escape(project)}");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
