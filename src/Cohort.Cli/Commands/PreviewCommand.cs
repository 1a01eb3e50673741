using System.ComponentModel;
using System.Globalization;
using Cohort.Cli.Infrastructure;
using Cohort.Warehouses.Preview;
using Cohort.Warehouses.Preview.Cache;
using Cohort.Warehouses.Projects;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary><c>cohort preview</c>: size, count after each block, a masked sample, a breakdown and overlaps.</summary>
public sealed class PreviewCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<PreviewCommand.Settings>
{
    public sealed class Settings : EvaluationSettings
    {
        [CommandArgument(0, "<AUDIENCE>")]
        [Description("An audience name from the project, or a .yaml/.json audience file.")]
        public string Audience { get; init; } = "";

        [CommandOption("-n|--sample <ROWS>")]
        [Description("Rows of the member sample (0 for none).")]
        [DefaultValue(10)]
        public int Sample { get; init; } = 10;

        [CommandOption("-c|--columns <COLUMNS>")]
        [Description("Comma-separated parent columns for the sample. Default: all.")]
        public string? Columns { get; init; }

        [CommandOption("--show-pii")]
        [Description("Show PII columns unmasked in the sample.")]
        public bool ShowPii { get; init; }

        [CommandOption("-b|--breakdown <COLUMN>")]
        [Description("Break the members down by a parent column.")]
        public string? Breakdown { get; init; }

        [CommandOption("--cache")]
        [Description("Keep per-block results in the warehouse and reuse them while it is unchanged (see docs/preview-cache.md). Pair with a fixed --as-of.")]
        public bool Cache { get; init; }

        [CommandOption("-o|--overlap <AUDIENCES>")]
        [Description("Comma-separated audiences to measure the overlap with.")]
        public string? Overlap { get; init; }

        public override ValidationResult Validate() =>
            Sample is < 0 or > 10_000 ? ValidationResult.Error("--sample must be between 0 and 10000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var session = ProjectSession.Load(settings, console);
        var audience = session.Audience(settings.Audience, settings, console);
        var evaluation = session.Evaluation(settings, clock);
        var model = session.Project.Schema.GetModel(audience.Model);
        var columns = Split(settings.Columns);
        foreach (var column in columns.Concat(settings.Breakdown is null ? [] : [settings.Breakdown]))
        {
            if (model.FindColumn(column) is null)
                throw CliError.Usage($"Model '{model.Name}' has no column '{column}'.",
                    Core.Diagnostics.NameSuggester.Nearest(column, model.Columns.Select(c => c.Name)) is { Count: > 0 } n ? $"Did you mean: {string.Join(", ", n)}?" : null);
        }
        var overlap = Split(settings.Overlap);
        foreach (var name in overlap)
        {
            var other = session.Project.FindAudience(name) ?? throw CliError.UnknownAudience(name, session.Project.Audiences.Select(a => a.Name));
            if (other.Model != audience.Model)
                throw CliError.Usage($"Audience '{name}' is over model '{other.Model}', not '{audience.Model}'; overlaps need the same model.");
        }

        await using var warehouse = await ProjectWarehouse.OpenAsync(session.Project.Project, cancellationToken: cancellationToken);
        var cache = settings.Cache ? await OpenCacheAsync(warehouse, session, cancellationToken) : null;
        var service = new AudiencePreviewService(warehouse, session.Project.Schema, session.AudiencesWith(audience), clock, cache);
        var preview = await service.PreviewAsync(audience, evaluation, new PreviewOptions
        {
            SampleSize = settings.Sample,
            SampleColumns = columns.Count > 0 ? columns : null,
            ShowPii = settings.ShowPii,
            BreakdownColumn = settings.Breakdown,
            OverlapWith = overlap,
        }, cancellationToken);

        if (settings.Json) JsonOutput.Write(console, PreviewJson.From(preview));
        else PreviewRenderer.Render(console, preview);
        return ExitCodes.Success;
    }

    private async Task<PreviewCache?> OpenCacheAsync(Warehouses.IWarehouse warehouse, ProjectSession session, CancellationToken ct)
    {
        CacheLocation? location = session.Project.Project.Warehouse switch
        {
            Core.Projects.WarehouseConfig.DuckDb { InMemory: false } duck => new CacheLocation.DuckDbFile(duck.Path),
            Core.Projects.WarehouseConfig.Postgres => CacheLocation.InPostgres,
            _ => null,
        };
        if (location is null)
        {
            console.MarkupLine("[yellow]--cache needs a DuckDB file or PostgreSQL warehouse; an in-memory database is previewed without it.[/]");
            return null;
        }
        return await PreviewCache.OpenAsync(warehouse, location, clock, ct);
    }

    private static List<string> Split(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

internal static class PreviewJson
{
    public static object From(AudiencePreview p) => new
    {
        audience = p.Audience,
        asOf = ParameterText.Instant(p.AsOfUtc),
        timeZone = p.TimeZone,
        count = p.Count,
        blocks = p.Blocks.Select(b => new { index = b.Index, label = b.Label, count = b.Count }),
        sample = p.Sample is null ? null : new
        {
            columns = p.Sample.Columns,
            masked = p.Sample.MaskedColumns,
            rows = p.Sample.Rows.Select(r => r.Select(Value)),
        },
        breakdown = p.Breakdown?.Select(b => new { value = Value(b.Value), count = b.Count }),
        overlap = p.Overlap is null ? null : new
        {
            audiences = p.Overlap.Audiences,
            sizes = p.Overlap.Sizes,
            pairs = p.Overlap.Pairs.Select(x => new { first = x.First, second = x.Second, both = x.Both }),
            all = p.Overlap.All,
        },
        timingsMs = p.Timings.ToDictionary(t => t.Query, t => Math.Round(t.Elapsed.TotalMilliseconds, 1)),
    };

    public static object? Value(object? v) => v switch
    {
        DateTime t => ParameterText.Instant(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IReadOnlyList<object?> list => list.Select(Value).ToArray(),
        _ => v,
    };
}

internal static class PreviewRenderer
{
    public static void Render(IAnsiConsole console, AudiencePreview p)
    {
        console.MarkupLine($"[bold]{Markup.Escape(p.Audience)}[/]: [bold green]{p.Count:N0}[/] member{(p.Count == 1 ? "" : "s")} " +
                           $"[grey](as of {ParameterText.Instant(p.AsOfUtc)}, {Markup.Escape(p.TimeZone)})[/]");
        if (p.Blocks.Length > 0)
        {
            var blocks = new Table().Border(TableBorder.Rounded).Title("Count after each block")
                .AddColumn("#").AddColumn("condition").AddColumn(new TableColumn("count").RightAligned()).AddColumn(new TableColumn("kept").RightAligned());
            long? previous = null;
            foreach (var b in p.Blocks)
            {
                var kept = previous is > 0 ? $"{100.0 * b.Count / previous.Value:0.#}%" : "";
                blocks.AddRow(b.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(b.Label), b.Count.ToString("N0", CultureInfo.InvariantCulture), kept);
                previous = b.Count;
            }
            console.Write(blocks);
        }
        if (p.Sample is { Rows.Length: > 0 } sample)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"Sample ({sample.Rows.Length} rows{(sample.MaskedColumns.Length > 0 ? ", PII masked" : "")})");
            foreach (var column in sample.Columns) table.AddColumn(Markup.Escape(column));
            foreach (var row in sample.Rows) table.AddRow(row.Select(v => Markup.Escape(Text(v))).ToArray());
            console.Write(table);
        }
        if (p.Breakdown is { } breakdown)
        {
            var chart = new BarChart().Label("Breakdown").Width(60);
            foreach (var row in breakdown) chart.AddItem(Markup.Escape(Text(row.Value)), row.Count, Color.SteelBlue);
            console.Write(chart);
        }
        if (p.Overlap is { } overlap)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Overlap").AddColumn("audiences").AddColumn(new TableColumn("members").RightAligned());
            for (var i = 0; i < overlap.Audiences.Length; i++) table.AddRow(Markup.Escape(overlap.Audiences[i]), overlap.Sizes[i].ToString("N0", CultureInfo.InvariantCulture));
            foreach (var pair in overlap.Pairs) table.AddRow(Markup.Escape($"{pair.First} ∩ {pair.Second}"), pair.Both.ToString("N0", CultureInfo.InvariantCulture));
            if (overlap.All is { } all) table.AddRow("all", all.ToString("N0", CultureInfo.InvariantCulture));
            console.Write(table);
        }
        console.MarkupLine($"[grey]{string.Join(", ", p.Timings.Select(t => $"{t.Query} {t.Elapsed.TotalMilliseconds:0} ms"))}[/]");
    }

    private static string Text(object? v) => v is DateTime t
        ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : PreviewJson.Value(v) switch
    {
        null => "∅",
        object?[] items => "[" + string.Join(", ", items.Select(i => i?.ToString() ?? "∅")) + "]",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}
