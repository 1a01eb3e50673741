using System.ComponentModel;
using System.Globalization;
using Cohort.Cli.Infrastructure;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Values;
using Cohort.Sync;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>Options every <c>sync</c> verb takes: the sync's name.</summary>
public class SyncSettings : EvaluationSettings
{
    [CommandArgument(0, "<SYNC>")]
    [Description("The name of a sync of the project (syncs/<name>.yaml).")]
    public string Sync { get; init; } = "";
}

/// <summary><c>cohort sync plan</c>: a dry run — the diff against what the destination holds, without sending anything.</summary>
public sealed class SyncPlanCommand(IAnsiConsole console, TimeProvider clock, DestinationCatalog catalog, SecretResolver secrets) : AsyncCommand<SyncPlanCommand.Settings>
{
    public sealed class Settings : SyncSettings
    {
        [CommandOption("-n|--sample <ROWS>")]
        [Description("Planned rows to show, in key order (0 for none).")]
        [DefaultValue(10)]
        public int Sample { get; init; } = 10;

        [CommandOption("--show-payload")]
        [Description("Show each sample row's payload (may contain PII).")]
        public bool ShowPayload { get; init; }

        [CommandOption("--no-match-rate")]
        [Description("Skip the match-rate report (it reads the identifiers of every member of the sync).")]
        public bool NoMatchRate { get; init; }

        public override ValidationResult Validate() =>
            Sample is < 0 or > 10_000 ? ValidationResult.Error("--sample must be between 0 and 10000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await SyncSession.OpenAsync(settings, console, clock, catalog, secrets, cancellationToken);
        var sync = session.Find(settings.Sync);
        var evaluation = session.Project.Evaluation(settings, clock);
        var plan = await session.Engine.PlanAsync(sync, new SyncRunOptions { Evaluation = evaluation }, settings.Sample, cancellationToken);
        var matchRate = settings.NoMatchRate ? null : await session.Engine.MatchRateAsync(sync, new SyncRunOptions { Evaluation = evaluation }, cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                sync = plan.Sync,
                asOf = ParameterText.Instant(plan.AsOfUtc),
                resultSize = plan.Counts.ResultSize,
                planned = plan.Counts.Planned,
                added = plan.Counts.Added,
                changed = plan.Counts.Changed,
                removed = plan.Counts.Removed,
                operations = plan.Operations,
                skipped = plan.Skipped,
                planMs = Math.Round(plan.Counts.Elapsed.TotalMilliseconds, 1),
                sample = plan.Sample.Select(r => new
                {
                    key = r.Key,
                    change = r.Change.ToString().ToLowerInvariant(),
                    operation = r.Operation,
                    payload = settings.ShowPayload ? r.Payload : null,
                }),
                matchRate = matchRate is null ? null : new
                {
                    profile = matchRate.Profile,
                    members = matchRate.Report.Records,
                    usable = matchRate.Report.Usable,
                    invalid = matchRate.Report.Invalid,
                    usableShare = Math.Round(matchRate.Report.UsableShare, 4),
                    identifiers = matchRate.Report.ByIdentifier.Select(i => new
                    {
                        type = IdentifierTypes.NameOf(i.Type),
                        present = i.Present,
                        usable = i.Usable,
                        invalid = i.Invalid,
                        usableShare = Math.Round(i.UsableShare, 4),
                    }),
                    invalidReasons = matchRate.Report.InvalidReasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                        .Select(r => new { reason = r.Key, rows = r.Value }),
                },
            });
            return ExitCodes.Success;
        }
        console.MarkupLine($"[bold]{Markup.Escape(plan.Sync)}[/] → {Markup.Escape(sync.Destination.Name)} ({Markup.Escape(sync.Destination.Type)}, {sync.Mode.ToString().ToLowerInvariant()}): " +
                           $"[bold]{plan.Counts.Planned:N0}[/] row(s) to sync [grey](dry run, as of {ParameterText.Instant(plan.AsOfUtc)}; nothing sent)[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("change").AddColumn(new TableColumn("rows").RightAligned());
        table.AddRow("added", plan.Counts.Added.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("changed", plan.Counts.Changed.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("removed", plan.Counts.Removed.ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
        var operations = string.Join(", ", plan.Operations.Select(o => $"{o.Key} {o.Value:N0}").Append(plan.Skipped > 0 ? $"skipped {plan.Skipped:N0}" : null).OfType<string>());
        console.MarkupLine($"Would send: {Markup.Escape(operations.Length == 0 ? "nothing" : operations)}. Result size after the run: {plan.Counts.ResultSize:N0}.");
        if (plan.Sample.Count > 0)
        {
            var sample = new Table().Border(TableBorder.Rounded).Title($"First {plan.Sample.Count} planned row(s) by key").AddColumn("key").AddColumn("change").AddColumn("operation");
            if (settings.ShowPayload) sample.AddColumn("payload");
            foreach (var row in plan.Sample)
            {
                string[] cells = [row.Key, row.Change.ToString().ToLowerInvariant(), row.Operation ?? "(skipped)"];
                sample.AddRow([.. (settings.ShowPayload ? [.. cells, row.Payload ?? ""] : cells).Select(Markup.Escape)]);
            }
            console.Write(sample);
        }
        if (matchRate is not null) WriteMatchRate(matchRate);
        console.MarkupLine($"[grey]planned in {plan.Counts.Elapsed.TotalMilliseconds:0} ms[/]");
        return ExitCodes.Success;
    }

    private void WriteMatchRate(SyncMatchRate rate)
    {
        var report = rate.Report;
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Match rate over {report.Records:N0} member(s) ({rate.Profile} rules)"))
            .AddColumn("identifier").AddColumn(new TableColumn("present").RightAligned()).AddColumn(new TableColumn("usable").RightAligned())
            .AddColumn(new TableColumn("share of members").RightAligned()).AddColumn(new TableColumn("invalid values").RightAligned());
        foreach (var i in report.ByIdentifier)
        {
            table.AddRow(IdentifierTypes.NameOf(i.Type), i.Present.ToString("N0", CultureInfo.InvariantCulture), i.Usable.ToString("N0", CultureInfo.InvariantCulture),
                i.UsableShare.ToString("P1", CultureInfo.InvariantCulture), i.Invalid.ToString("N0", CultureInfo.InvariantCulture));
        }
        table.AddRow("[bold]any usable[/]", "", report.Usable.ToString("N0", CultureInfo.InvariantCulture), report.UsableShare.ToString("P1", CultureInfo.InvariantCulture), "");
        console.Write(table);
        if (report.Invalid > 0)
        {
            console.MarkupLine($"{report.Invalid:N0} member(s) have no usable identifier; a run reports them as invalid and sends nothing for them:");
            foreach (var (reason, rows) in report.InvalidReasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
                console.MarkupLine($"  {rows:N0} × {Markup.Escape(reason)}");
        }
    }
}

/// <summary><c>cohort sync run</c>: plan, send, commit and record one run.</summary>
public sealed class SyncRunCommand(IAnsiConsole console, TimeProvider clock, DestinationCatalog catalog, SecretResolver secrets) : AsyncCommand<SyncSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SyncSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await SyncSession.OpenAsync(settings, console, clock, catalog, secrets, cancellationToken);
        var sync = session.Find(settings.Sync);
        var evaluation = session.Project.Evaluation(settings, clock);
        var run = await session.Engine.RunAsync(sync, new SyncRunOptions { Evaluation = evaluation }, cancellationToken);
        if (settings.Json) JsonOutput.Write(console, SyncJson.Run(run));
        else SyncRender.Run(console, run);
        return run.Status == RunStatus.Failed ? ExitCodes.ExternalFailure : ExitCodes.Success;
    }
}

/// <summary><c>cohort sync history</c>: the sync's recent runs, newest first.</summary>
public sealed class SyncHistoryCommand(IAnsiConsole console, TimeProvider clock, DestinationCatalog catalog, SecretResolver secrets) : AsyncCommand<SyncHistoryCommand.Settings>
{
    public sealed class Settings : SyncSettings
    {
        [CommandOption("-l|--limit <RUNS>")]
        [Description("How many runs to show.")]
        [DefaultValue(20)]
        public int Limit { get; init; } = 20;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 10_000 ? ValidationResult.Error("--limit must be between 1 and 10000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await SyncSession.OpenAsync(settings, console, clock, catalog, secrets, cancellationToken);
        var runs = await session.Engine.HistoryAsync(session.Name(settings.Sync), settings.Limit, cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(console, new { sync = settings.Sync, runs = runs.Select(SyncJson.Run) });
            return ExitCodes.Success;
        }
        if (runs.Count == 0)
        {
            console.MarkupLine($"Sync [bold]{Markup.Escape(settings.Sync)}[/] has not run yet. Try 'cohort sync plan {Markup.Escape(settings.Sync)}'.");
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).Title($"Runs of {settings.Sync}")
            .AddColumn("run").AddColumn("started (UTC)").AddColumn("status")
            .AddColumn(new TableColumn("planned").RightAligned()).AddColumn(new TableColumn("succeeded").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("skipped").RightAligned())
            .AddColumn(new TableColumn("pending").RightAligned()).AddColumn(new TableColumn("match rate").RightAligned()).AddColumn(new TableColumn("took").RightAligned());
        foreach (var run in runs)
        {
            table.AddRow(run.RunId.ToString(CultureInfo.InvariantCulture), run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                SyncRender.Status(run.Status), N(run.Counts.Planned), N(run.Counts.Succeeded), N(run.Counts.Failed), N(run.Counts.Skipped), N(run.Counts.Pending),
                // The share of upserted rows the platform can match on (blank for destinations that do not match).
                run.MatchRate is { Records: > 0 } m ? m.Share.ToString("0.0%", CultureInfo.InvariantCulture) : "",
                $"{run.Timings.Total.TotalSeconds:0.0} s");
        }
        console.Write(table);
        return ExitCodes.Success;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary><c>cohort sync errors</c>: the rows a run did not confirm, with their reasons.</summary>
public sealed class SyncErrorsCommand(IAnsiConsole console, TimeProvider clock, DestinationCatalog catalog, SecretResolver secrets) : AsyncCommand<SyncErrorsCommand.Settings>
{
    public sealed class Settings : SyncSettings
    {
        [CommandOption("-r|--run <ID>")]
        [Description("The run to show (default: the latest).")]
        public long? Run { get; init; }

        [CommandOption("-l|--limit <ROWS>")]
        [Description("How many rows to show, in key order.")]
        [DefaultValue(100)]
        public int Limit { get; init; } = 100;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 100_000 ? ValidationResult.Error("--limit must be between 1 and 100000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await SyncSession.OpenAsync(settings, console, clock, catalog, secrets, cancellationToken);
        var (run, rows) = await session.Engine.ErrorsAsync(session.Name(settings.Sync), settings.Run, settings.Limit, cancellationToken);
        if (run is null)
        {
            if (settings.Run is { } id) throw CliError.Usage($"Sync '{settings.Sync}' has no run {id}.", $"Run 'cohort sync history {settings.Sync}' to list its runs.");
            if (!settings.Json)
            {
                console.MarkupLine($"Sync [bold]{Markup.Escape(settings.Sync)}[/] has not run yet.");
                return ExitCodes.Success;
            }
        }
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                sync = settings.Sync,
                run = run is null ? null : SyncJson.Run(run),
                rows = rows.Select(r => new
                {
                    key = r.Key,
                    change = r.Change,
                    operation = r.Operation,
                    outcome = r.Outcome.ToString().ToLowerInvariant(),
                    reason = r.Reason,
                    attempts = r.Attempts,
                }),
            });
            return ExitCodes.Success;
        }
        SyncRender.Run(console, run!);
        if (rows.Count == 0)
        {
            console.MarkupLine("[green]No row failed or stayed pending in this run.[/]");
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).Title($"Rows not confirmed in run {run!.RunId}")
            .AddColumn("key").AddColumn("change").AddColumn("operation").AddColumn("outcome").AddColumn("reason").AddColumn(new TableColumn("attempts").RightAligned());
        foreach (var row in rows)
            table.AddRow(Markup.Escape(row.Key), row.Change, row.Operation ?? "", row.Outcome.ToString().ToLowerInvariant(), Markup.Escape(row.Reason ?? ""),
                row.Attempts.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        if (rows.Count == settings.Limit) console.MarkupLine($"[grey]Showing the first {settings.Limit} rows; use --limit for more.[/]");
        return ExitCodes.Success;
    }
}

internal static class SyncJson
{
    public static object Run(SyncRunRecord r) => new
    {
        runId = r.RunId,
        sync = r.Sync,
        destination = r.Destination,
        mode = r.Mode,
        status = SyncRender.Status(r.Status),
        startedAt = ParameterText.Instant(r.StartedAt),
        asOf = ParameterText.Instant(r.AsOf),
        finishedAt = r.FinishedAt is { } f ? ParameterText.Instant(f) : null,
        resultSize = r.AudienceSize,
        planned = r.Counts.Planned,
        added = r.Counts.Added,
        changed = r.Counts.Changed,
        removed = r.Counts.Removed,
        sent = r.Counts.Sent,
        succeeded = r.Counts.Succeeded,
        failedInvalid = r.Counts.FailedInvalid,
        failedRejected = r.Counts.FailedRejected,
        skipped = r.Counts.Skipped,
        pending = r.Counts.Pending,
        requests = r.Counts.Requests,
        retries = r.Counts.Retries,
        matchRate = r.MatchRate is { } m ? new { records = m.Records, usable = m.Usable, share = Math.Round(m.Share, 4) } : null,
        timingsMs = new
        {
            plan = (long)r.Timings.Plan.TotalMilliseconds,
            send = (long)r.Timings.Send.TotalMilliseconds,
            commit = (long)r.Timings.Commit.TotalMilliseconds,
            total = (long)r.Timings.Total.TotalMilliseconds,
        },
        error = r.Error,
    };
}

internal static class SyncRender
{
    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.CompletedWithErrors => "completed_with_errors",
        RunStatus.Failed => "failed",
        _ => "interrupted",
    };

    public static void Run(IAnsiConsole console, SyncRunRecord r)
    {
        var colour = r.Status switch
        {
            RunStatus.Succeeded => "green",
            RunStatus.CompletedWithErrors => "yellow",
            _ => "red",
        };
        var c = r.Counts;
        console.MarkupLine($"Run [bold]{r.RunId}[/] of [bold]{Markup.Escape(r.Sync)}[/] → {Markup.Escape(r.Destination)}: [{colour}]{Status(r.Status)}[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("rows").RightAligned());
        void Row(string label, long n) => table.AddRow(label, n.ToString("N0", CultureInfo.InvariantCulture));
        Row("planned (added / changed / removed)", c.Planned);
        table.AddRow("", $"{c.Added:N0} / {c.Changed:N0} / {c.Removed:N0}");
        Row("succeeded", c.Succeeded);
        Row("failed: invalid before sending", c.FailedInvalid);
        Row("failed: rejected by the destination", c.FailedRejected);
        Row("skipped (nothing to send in this mode)", c.Skipped);
        Row("pending (sent again next run)", c.Pending);
        Row("sent (at least once)", c.Sent);
        table.AddRow("requests / retries", $"{c.Requests:N0} / {c.Retries:N0}");
        console.Write(table);
        console.MarkupLine($"[grey]plan {r.Timings.Plan.TotalMilliseconds:0} ms, send {r.Timings.Send.TotalMilliseconds:0} ms, commit {r.Timings.Commit.TotalMilliseconds:0} ms, total {r.Timings.Total.TotalMilliseconds:0} ms[/]");
        if (r.Error is { } error) console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
        else if (c.Failed + c.Pending > 0) console.MarkupLine($"[yellow]Some rows were not confirmed; see 'cohort sync errors {Markup.Escape(r.Sync)} --run {r.RunId}'.[/]");
    }
}
