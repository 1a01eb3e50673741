using System.ComponentModel;
using System.Globalization;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Identity;
using Cohort.Core.Privacy;
using Cohort.Identity;
using Cohort.Warehouses;
using Cohort.Warehouses.Projects;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>Options every <c>identity</c> verb takes.</summary>
public class IdentitySettings : ProjectSettings
{
    [CommandOption("--state-schema <SCHEMA>")]
    [Description("The schema holding the identity tables.")]
    [DefaultValue(IdentityTables.DefaultSchema)]
    public string StateSchema { get; init; } = IdentityTables.DefaultSchema;
}

/// <summary>The project's identity rules and its warehouse, for the <c>identity</c> verbs.</summary>
internal sealed class IdentitySession : IAsyncDisposable
{
    private IdentitySession(IdentityRules rules, IWarehouse warehouse)
    {
        Rules = rules;
        Warehouse = warehouse;
    }

    public IdentityRules Rules { get; }

    public IWarehouse Warehouse { get; }

    public static async Task<IdentitySession> OpenAsync(IdentitySettings settings, IAnsiConsole console, CancellationToken ct)
    {
        var project = ProjectSession.Load(settings, console).Project;
        var rules = project.Identity ?? throw CliError.Usage($"The project has no {IdentityRules.FileName}.",
            $"Write one beside cohort.yaml (docs/identity.md); 'cohort demo' makes a project that has one.");
        if (project.Project.Warehouse is Core.Projects.WarehouseConfig.DuckDb { InMemory: true })
            throw CliError.Usage("Identity resolution needs a warehouse that keeps its tables; this project's DuckDB is in memory.", "Point the project at a DuckDB file or a PostgreSQL database.");
        var warehouse = await ProjectWarehouse.OpenAsync(project.Project, cancellationToken: ct);
        return new IdentitySession(rules, warehouse);
    }

    public async Task<IdentityInspector> InspectorAsync(IdentitySettings settings, CancellationToken ct)
    {
        var inspector = new IdentityInspector(Warehouse, settings.StateSchema);
        if (!await inspector.HasRunAsync(ct))
            throw CliError.Usage($"Identity resolution has not run yet (no identity tables in schema '{settings.StateSchema}').", "Run 'cohort identity run' first.");
        return inspector;
    }

    public ValueTask DisposeAsync() => Warehouse.DisposeAsync();
}

/// <summary><c>cohort identity run</c>: build the identity graph in the warehouse and swap it in.</summary>
public sealed class IdentityRunCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<IdentityRunCommand.Settings>
{
    public sealed class Settings : IdentitySettings
    {
        [CommandOption("--incremental")]
        [Description("Recompute only the cohorts touched by new, changed or deleted rows (a full run when there is no previous run).")]
        public bool Incremental { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await IdentitySession.OpenAsync(settings, console, cancellationToken);
        var engine = new IdentityEngine(session.Warehouse, session.Rules, clock, new IdentityRunOptions { StateSchema = settings.StateSchema, Incremental = settings.Incremental });
        var diagnostics = await engine.CheckAsync(cancellationToken);
        if (diagnostics.Any(d => d.IsError)) throw ProjectSession.Invalid(diagnostics, settings, console);
        var result = await engine.RunAsync(cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                ok = true,
                runId = result.RunId,
                mode = result.Mode,
                recomputed = result.Recomputed,
                merges = result.Merges,
                records = result.Records,
                cohorts = result.Cohorts,
                linkedValues = result.LinkedValues,
                blocked = result.Blocked,
                invalid = result.Invalid,
                dropped = result.Dropped,
                limitPasses = result.LimitPasses,
                rounds = result.Rounds,
                elapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
                schema = settings.StateSchema,
                matching = result.Matching is not { } m ? null : new
                {
                    records = m.Records, candidatePairs = m.CandidatePairs, scoredPairs = m.ScoredPairs, linkedPairs = m.LinkedPairs, rejectedPairs = m.RejectedPairs,
                    mergedComponents = m.MergedComponents, lambda = m.Lambda, iterations = m.Iterations, elapsedMs = Math.Round(m.Elapsed.TotalMilliseconds, 1),
                    skippedBlocks = m.SkippedBlocks,
                    steps = m.Steps.ToDictionary(x => x.Step, x => Math.Round(x.Elapsed.TotalMilliseconds, 1)),
                },
            });
            return ExitCodes.Success;
        }
        console.MarkupLine($"Identity run [bold]{result.RunId}[/]: [bold]{N(result.Records)}[/] records → [bold]{N(result.Cohorts)}[/] cohorts " +
                           $"[grey]({N(result.LinkedValues)} identifier values; {N(result.Blocked)} blocked, {N(result.Invalid)} invalid, {N(result.Dropped)} dropped by limit rules)[/]");
        if (result.Matching is { } matching)
        {
            console.MarkupLine($"probabilistic matching: {N(matching.CandidatePairs)} candidate pairs of {N(matching.Records)} records → [bold]{N(matching.LinkedPairs)}[/] linked " +
                               $"(joining {N(matching.MergedComponents)} deterministic groups), {N(matching.RejectedPairs)} rejected by limit rules " +
                               $"[grey](EM {matching.Iterations} iterations, {matching.Elapsed.TotalSeconds:0.00} s; scores in {Markup.Escape(settings.StateSchema)}.{IdentityTables.Pairs})[/]");
            if (matching.SkippedBlocks > 0)
                console.MarkupLine($"[yellow]{N(matching.SkippedBlocks)} block(s) of more than max_block_size records were not compared by their blocking rule[/] [grey](a value shared by very many records; docs/identity.md)[/]");
            if (settings.Incremental)
                console.MarkupLine("[grey]--incremental: with probabilistic matching every pair is scored again, so this was a full run[/]");
        }
        if (result.Mode == "incremental")
            console.MarkupLine($"[grey]incremental: {N(result.Recomputed)} record(s) recomputed, {N(result.Merges)} merge(s) or split(s) logged[/]");
        console.MarkupLine($"[grey]{result.Rounds} component rounds in {result.LimitPasses} pass(es), {result.Elapsed.TotalSeconds:0.00} s; tables in {Markup.Escape(settings.StateSchema)}.{IdentityTables.Records} and friends[/]");
        return ExitCodes.Success;
    }

    internal static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A match weight with its sign.</summary>
    internal static string W(double w) => w.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}

/// <summary><c>cohort identity explain</c>: the records, identifiers and joining edges of one cohort.</summary>
public sealed class IdentityExplainCommand(IAnsiConsole console) : AsyncCommand<IdentityExplainCommand.Settings>
{
    public sealed class Settings : IdentitySettings
    {
        [CommandArgument(0, "<COHORT_ID>")]
        [Description("A cohort id, as in identity_records.cohort_id (e.g. c_0a1b2c3d4e5f6a7b).")]
        public string CohortId { get; init; } = "";

        [CommandOption("--show-values")]
        [Description("Show identifier values in full (they are personal data; masked by default).")]
        public bool ShowValues { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await IdentitySession.OpenAsync(settings, console, cancellationToken);
        var inspector = await session.InspectorAsync(settings, cancellationToken);
        var explanation = await inspector.ExplainAsync(settings.CohortId, cancellationToken)
            ?? throw CliError.Usage($"There is no cohort '{settings.CohortId}'.", "Cohort ids are in identity_records.cohort_id; 'cohort identity why <source:key> <source:key>' starts from records.");
        string V(string? v) => v is null ? "" : settings.ShowValues ? v : PiiMask.Mask(v) as string ?? "";
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                cohortId = explanation.CohortId,
                records = explanation.Records.Select(r => r.ToString()),
                links = explanation.Links.Select(l => new { identifier = l.Identifier, value = V(l.Value), rule = l.Rule, records = l.Records.Select(r => new { record = r.Record.ToString(), column = r.Column }) }),
                identifiers = explanation.Occurrences.Select(o => new { record = o.Record.ToString(), identifier = o.Identifier, column = o.Column, value = V(o.Value), status = o.Status, reason = o.Reason }),
                matches = explanation.Matches.Select(m => new
                {
                    a = m.A.ToString(), b = m.B.ToString(), weight = Math.Round(m.Weight, 3), probability = Math.Round(m.Probability, 6), tfAdjustment = Math.Round(m.TermFrequencyAdjustment, 3),
                    fields = m.Fields.Select(f => new { field = f.Field, level = f.Level, weight = Math.Round(f.Weight, 3) }),
                }),
            });
            return ExitCodes.Success;
        }
        console.MarkupLine($"Cohort [bold]{Markup.Escape(explanation.CohortId)}[/]: {explanation.Records.Count} record(s) from {explanation.Records.Select(r => r.Source).Distinct().Count()} source(s)");
        var links = new Table().Border(TableBorder.Rounded).Title("Edges that joined them").AddColumn("identifier").AddColumn("value").AddColumn("records (column)").AddColumn("rule");
        foreach (var link in explanation.Links)
            links.AddRow(Markup.Escape(link.Identifier), Markup.Escape(V(link.Value)), Markup.Escape(string.Join(", ", link.Records.Select(r => $"{r.Record} ({r.Column})"))), Markup.Escape(link.Rule));
        if (explanation.Links.Count > 0) console.Write(links);
        else if (explanation.Matches.Count == 0) console.MarkupLine("[grey]A single record: nothing joined it to another.[/]");
        if (explanation.Matches.Count > 0)
        {
            var matches = new Table().Border(TableBorder.Rounded).Title("Probabilistic matches that joined them").AddColumn("records").AddColumn(new TableColumn("probability").RightAligned())
                .AddColumn(new TableColumn("weight").RightAligned()).AddColumn("evidence per field (weight)");
            foreach (var m in explanation.Matches)
            {
                var evidence = string.Join(", ", m.Fields.Select(f => $"{f.Field} {f.Level} {IdentityRunCommand.W(f.Weight)}"));
                if (Math.Abs(m.TermFrequencyAdjustment) > 0.005) evidence += $", term frequency {IdentityRunCommand.W(m.TermFrequencyAdjustment)}";
                matches.AddRow(Markup.Escape($"{m.A} ~ {m.B}"), m.Probability.ToString("0.0000", CultureInfo.InvariantCulture), IdentityRunCommand.W(m.Weight), Markup.Escape(evidence));
            }
            console.Write(matches);
        }
        var ids = new Table().Border(TableBorder.Rounded).Title("Identifiers per record").AddColumn("record").AddColumn("identifier").AddColumn("column").AddColumn("value").AddColumn("status");
        foreach (var o in explanation.Occurrences)
            ids.AddRow(Markup.Escape(o.Record.ToString()), Markup.Escape(o.Identifier), Markup.Escape(o.Column), Markup.Escape(V(o.Value)), Markup.Escape(o.Reason is null ? o.Status : $"{o.Status}: {o.Reason}"));
        console.Write(ids);
        return ExitCodes.Success;
    }
}

/// <summary><c>cohort identity why</c>: why two records are one profile, or what kept them apart.</summary>
public sealed class IdentityWhyCommand(IAnsiConsole console) : AsyncCommand<IdentityWhyCommand.Settings>
{
    public sealed class Settings : IdentitySettings
    {
        [CommandArgument(0, "<RECORD_A>")]
        [Description("A record as source:key, e.g. crm_contacts:17.")]
        public string A { get; init; } = "";

        [CommandArgument(1, "<RECORD_B>")]
        [Description("Another record as source:key.")]
        public string B { get; init; } = "";

        [CommandOption("--show-values")]
        [Description("Show identifier values in full (masked by default).")]
        public bool ShowValues { get; init; }

        public override ValidationResult Validate() =>
            !RecordRef.TryParse(A, out _) || !RecordRef.TryParse(B, out _)
                ? ValidationResult.Error("Records are written source:key, e.g. crm_contacts:17.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        RecordRef.TryParse(settings.A, out var a);
        RecordRef.TryParse(settings.B, out var b);
        await using var session = await IdentitySession.OpenAsync(settings, console, cancellationToken);
        var inspector = await session.InspectorAsync(settings, cancellationToken);
        foreach (var record in new[] { a, b })
        {
            if (session.Rules.FindSource(record.Source) is null)
                throw CliError.Usage($"There is no identity source '{record.Source}'.", Core.Diagnostics.NameSuggester.Nearest(record.Source, session.Rules.Sources.Select(s => s.Name)) is { Count: > 0 } n ? $"Did you mean: {string.Join(", ", n)}?" : null);
            if (await inspector.CohortOfAsync(record, cancellationToken) is null)
                throw CliError.Usage($"Record '{record}' is not in the identity graph.", "Check the key, or run 'cohort identity run' if the row is new.");
        }
        var answer = (await inspector.WhyAsync(a, b, cancellationToken))!;
        string V(string v) => settings.ShowValues ? v : PiiMask.Mask(v) as string ?? "";
        // A probabilistic hop's "value" is the scored pair, not personal data.
        string Shown(PathStep s) => s.Identifier == MatchLink.Identifier ? s.Value : V(s.Value);
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                a = a.ToString(), b = b.ToString(), together = answer.Together, cohortA = answer.CohortA, cohortB = answer.CohortB,
                path = answer.Path?.Select(s => new { from = s.From.ToString(), fromColumn = s.FromColumn, identifier = s.Identifier, value = Shown(s), to = s.To.ToString(), toColumn = s.ToColumn, status = s.Status, reason = s.Reason }),
            });
            return ExitCodes.Success;
        }
        if (answer.Together)
            console.MarkupLine($"[green]Together[/]: both are in cohort [bold]{Markup.Escape(answer.CohortA)}[/]. Shortest path ({answer.Path!.Count} hop(s)):");
        else if (answer.Path is null)
        {
            console.MarkupLine($"[yellow]Apart[/]: {Markup.Escape(a.ToString())} is in {Markup.Escape(answer.CohortA)}, {Markup.Escape(b.ToString())} in {Markup.Escape(answer.CohortB)}; " +
                               "no identifier value connects their cohorts, not even a blocked or dropped one" +
                               (await inspector.UsedMatchingAsync(cancellationToken) ? ", and no pair scored by probabilistic matching (none was more likely a match than not)." : "."));
            return ExitCodes.Success;
        }
        else
            console.MarkupLine($"[yellow]Apart[/]: {Markup.Escape(a.ToString())} is in {Markup.Escape(answer.CohortA)}, {Markup.Escape(b.ToString())} in {Markup.Escape(answer.CohortB)}. " +
                               "This path would have joined them; the hops marked below were set aside:");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("from").AddColumn("shared value").AddColumn("to").AddColumn("edge");
        foreach (var step in answer.Path!)
            table.AddRow(Markup.Escape($"{step.From} ({step.FromColumn})"), Markup.Escape(step.Identifier == MatchLink.Identifier ? Shown(step) : $"{step.Identifier} {V(step.Value)}"), Markup.Escape($"{step.To} ({step.ToColumn})"),
                step.Status == "linked" ? "linked" : $"[red]{Markup.Escape(step.Status)}[/]: {Markup.Escape(step.Reason ?? "")}");
        console.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary><c>cohort identity evaluate</c>: pairwise and B-cubed precision, recall and F1 against a truth table.</summary>
public sealed class IdentityEvaluateCommand(IAnsiConsole console) : AsyncCommand<IdentityEvaluateCommand.Settings>
{
    public sealed class Settings : IdentitySettings
    {
        [CommandOption("--truth <TABLE>")]
        [Description("A table of source, record_id, person_id: which records are the same person.")]
        [DefaultValue("identity_truth")]
        public string Truth { get; init; } = "identity_truth";

        [CommandOption("--corrupted")]
        [Description("Instead of the project: generate the Splink-style corrupted dataset (nicknames, typos, swapped names, missing values, shared junk identifiers) in an in-memory DuckDB, resolve it with its own rules and score deterministic rules alone and with probabilistic matching.")]
        public bool Corrupted { get; init; }

        [CommandOption("--people <N>")]
        [Description("With --corrupted: how many people to generate.")]
        [DefaultValue(5000)]
        public int People { get; init; } = 5000;

        [CommandOption("--seed <N>")]
        [Description("With --corrupted: the random seed.")]
        [DefaultValue(42)]
        public int Seed { get; init; } = 42;

        public override ValidationResult Validate() =>
            People is < 10 or > 2_000_000 ? ValidationResult.Error("--people must be between 10 and 2,000,000.") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Corrupted) return await CorruptedAsync(settings, cancellationToken);
        await using var session = await IdentitySession.OpenAsync(settings, console, cancellationToken);
        var inspector = await session.InspectorAsync(settings, cancellationToken);
        if (!await inspector.IsTruthTableAsync(settings.Truth, cancellationToken))
        {
            throw CliError.Usage($"The truth table '{settings.Truth}' is not in the warehouse, or lacks source, record_id and person_id.", "The demo warehouse has identity_truth; pass --truth <table> otherwise.");
        }
        var e = await inspector.EvaluateAsync(settings.Truth, cancellationToken);
        var deterministic = await inspector.UsedMatchingAsync(cancellationToken) ? await inspector.EvaluateAsync(settings.Truth, cancellationToken, deterministicOnly: true) : null;
        Report(console, settings.Json, settings.Truth, e, deterministic);
        return ExitCodes.Success;
    }

    private async Task<int> CorruptedAsync(Settings settings, CancellationToken ct)
    {
        var data = Demo.Corrupted.CorruptedPeople.Generate(new Demo.Corrupted.CorruptedOptions(settings.People, settings.Seed));
        var bag = new Core.Diagnostics.DiagnosticBag();
        var rules = IdentityReader.ReadText(Demo.Corrupted.CorruptedPeople.RulesYaml, null, bag) ?? throw new InvalidOperationException("The corrupted dataset's rules do not read: " + string.Join("; ", bag.Items));
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(), ct);
        await Demo.Corrupted.CorruptedPeople.WriteAsync(warehouse, data, ct);
        var result = await new IdentityEngine(warehouse, rules, TimeProvider.System, new IdentityRunOptions { StateSchema = settings.StateSchema }).RunAsync(ct);
        var inspector = new IdentityInspector(warehouse, settings.StateSchema);
        var e = await inspector.EvaluateAsync(Demo.Corrupted.CorruptedSources.Truth, ct);
        var deterministic = await inspector.EvaluateAsync(Demo.Corrupted.CorruptedSources.Truth, ct, deterministicOnly: true);
        if (!settings.Json)
        {
            console.MarkupLine($"Corrupted dataset (seed {settings.Seed}): {IdentityRunCommand.N(data.PersonCount)} people, {IdentityRunCommand.N(data.RecordCount)} records in crm_people and web_signups, " +
                               $"{IdentityRunCommand.N(data.TruePairs)} true pairs; resolved in {result.Elapsed.TotalSeconds:0.00} s " +
                               $"({IdentityRunCommand.N(result.Matching!.CandidatePairs)} candidate pairs, {IdentityRunCommand.N(result.Matching.LinkedPairs)} linked by matching).");
        }
        Report(console, settings.Json, Demo.Corrupted.CorruptedSources.Truth, e, deterministic);
        return ExitCodes.Success;
    }

    /// <summary>Prints an evaluation; <paramref name="deterministic"/> (shared identifiers alone) beside it when probabilistic matching ran.</summary>
    internal static void Report(IAnsiConsole console, bool json, string truth, IdentityEvaluation e, IdentityEvaluation? deterministic)
    {
        if (json)
        {
            JsonOutput.Write(console, new
            {
                records = e.Records, matched = e.Matched, cohorts = e.Cohorts, people = e.People,
                pairs = Pairs(e),
                bcubed = BCubed(e),
                deterministic = deterministic is null ? null : new { cohorts = deterministic.Cohorts, pairs = Pairs(deterministic), bcubed = BCubed(deterministic) },
            });
            return;
        }
        console.MarkupLine($"{IdentityRunCommand.N(e.Matched)} of {IdentityRunCommand.N(e.Records)} records are in {Markup.Escape(truth)}: " +
                           $"{IdentityRunCommand.N(e.Cohorts)} cohorts for {IdentityRunCommand.N(e.People)} people" +
                           (deterministic is null ? "." : $" ({IdentityRunCommand.N(deterministic.Cohorts)} with deterministic rules alone)."));
        var table = new Table().Border(TableBorder.Rounded).AddColumn("measure").AddColumn(new TableColumn("precision").RightAligned())
            .AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("F1").RightAligned());
        if (deterministic is not null)
        {
            table.AddRow("pairwise, deterministic rules alone", P(deterministic.PairPrecision), P(deterministic.PairRecall), P(deterministic.PairF1));
            table.AddRow("pairwise, with probabilistic matching", P(e.PairPrecision), P(e.PairRecall), P(e.PairF1));
            table.AddRow("B-cubed, deterministic rules alone", P(deterministic.BCubedPrecision), P(deterministic.BCubedRecall), P(deterministic.BCubedF1));
            table.AddRow("B-cubed, with probabilistic matching", P(e.BCubedPrecision), P(e.BCubedRecall), P(e.BCubedF1));
        }
        else
        {
            table.AddRow("pairwise", P(e.PairPrecision), P(e.PairRecall), P(e.PairF1));
            table.AddRow("B-cubed", P(e.BCubedPrecision), P(e.BCubedRecall), P(e.BCubedF1));
        }
        console.Write(table);
        if (deterministic is not null)
            console.MarkupLine($"[grey]pairs, deterministic alone: {IdentityRunCommand.N(deterministic.CorrectPairs)} correct of {IdentityRunCommand.N(deterministic.PredictedPairs)} predicted[/]");
        console.MarkupLine($"[grey]pairs: {IdentityRunCommand.N(e.CorrectPairs)} correct of {IdentityRunCommand.N(e.PredictedPairs)} predicted; {IdentityRunCommand.N(e.TruePairs)} true pairs[/]");
    }

    private static object Pairs(IdentityEvaluation e) =>
        new { truePairs = e.TruePairs, predicted = e.PredictedPairs, correct = e.CorrectPairs, precision = R(e.PairPrecision), recall = R(e.PairRecall), f1 = R(e.PairF1) };

    private static object BCubed(IdentityEvaluation e) => new { precision = R(e.BCubedPrecision), recall = R(e.BCubedRecall), f1 = R(e.BCubedF1) };

    private static double R(double v) => Math.Round(v, 4);

    private static string P(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
