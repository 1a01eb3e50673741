using System.Text.Json.Nodes;
using Cohort.Core.Privacy;
using Cohort.Core.Syncs;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Store;
using Cohort.Sync.Definitions;
using Cohort.Sync.Planning;

namespace Cohort.Server.Services;

/// <summary>A row of a dry run's sample: its key, its change, the operation it would be sent with (null: skipped), and its payload.</summary>
public sealed record PlanRowView(string Key, string Change, string? Operation, JsonNode? Fields, JsonNode? Identifiers);

/// <summary>
/// What the next run would send, without sending anything: rows per change and per operation, the rows the mode
/// skips, the size of the result, and a sample whose PII (identifiers and fields from <c>pii</c> columns) is masked
/// unless the user may see it (<see cref="Masked"/> says whether it was).
/// </summary>
public sealed record PlanView(
    string Sync, DateTime AsOfUtc, long Planned, long Added, long Changed, long Removed, long ResultSize, IReadOnlyDictionary<string, long> Operations,
    long Skipped, IReadOnlyList<PlanRowView> Sample, bool Masked);

/// <summary>A row a run did not confirm: key, change, operation, outcome (invalid, rejected, pending), the reason, attempts.</summary>
public sealed record RunErrorView(string Key, string Change, string? Operation, string Outcome, string? Reason, int Attempts);

/// <summary>
/// Running syncs from the API and the Studio: run now (under the scheduler's lease), dry runs (the plan, under the
/// lease too, so no run starts meanwhile), and the per-row errors of a run. Permissions are checked and audited here.
/// </summary>
public sealed class SyncRunService(DefinitionService definitions, SyncScheduler scheduler, ISyncRunner runner, JobStore jobs, Guard guard, AuditLog audit)
{
    public const int MaxSample = 100;

    /// <summary>Runs the sync now and waits for the run; the run is recorded like any other (history, audit).</summary>
    public async Task<SyncRun> RunNowAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.TriggerSyncs, "sync.trigger", "sync", name, ct).ConfigureAwait(false);
        var sync = await definitions.GetSyncAsync(name, ct).ConfigureAwait(false);
        if (await jobs.GetAsync(name, ct).ConfigureAwait(false) is null) await jobs.UpsertAsync(name, sync.Schedule, null, ct).ConfigureAwait(false);
        var id = await scheduler.RunNowAsync(name, ct).ConfigureAwait(false);
        var run = (await jobs.RunAsync(id, ct).ConfigureAwait(false))!;
        await audit.WriteAsync(actor.Username, "sync.trigger", "sync", name, AuditOutcomes.Ok, after: run.Status, detail: $"run now: {id}", ct: CancellationToken.None).ConfigureAwait(false);
        return run;
    }

    /// <summary>The plan of the next run. Folds what earlier runs confirmed (as the CLI's dry run does) but sends nothing and records no run.</summary>
    public async Task<PlanView> PlanAsync(Actor actor, string name, int sample, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.TriggerSyncs, "sync.dry_run", "sync", name, ct).ConfigureAwait(false);
        var stored = await definitions.GetSyncAsync(name, ct).ConfigureAwait(false);
        if (runner is not EngineSyncRunner engine) throw new FeatureNotAvailableException("Dry runs need the sync engine, which this server runs without.");
        if (await jobs.GetAsync(name, ct).ConfigureAwait(false) is null) await jobs.UpsertAsync(name, stored.Schedule, null, ct).ConfigureAwait(false);
        var (plan, bound) = await scheduler.WithLeaseAsync(name, () => engine.PlanAsync(name, Math.Clamp(sample, 0, MaxSample), ct), ct).ConfigureAwait(false);
        var mask = !actor.CanViewPii;
        var piiFields = bound.Payload.Where(p => p.Section == PayloadSection.Field && p.Source.Kind == ValueSourceKind.Column && bound.Model.FindColumn(p.Source.Name)?.Pii == true)
            .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var rows = plan.Sample.Select(r =>
        {
            var payload = r.Payload is null ? null : JsonNode.Parse(r.Payload) as JsonObject;
            var fields = payload?["fields"]?.DeepClone();
            var identifiers = payload?["identifiers"]?.DeepClone();
            if (mask)
            {
                if (fields is JsonObject f) foreach (var key in f.Select(p => p.Key).Where(piiFields.Contains).ToList()) f[key] = MaskValue(f[key]);
                if (identifiers is JsonObject i) foreach (var key in i.Select(p => p.Key).ToList()) i[key] = MaskValue(i[key]);
            }
            return new PlanRowView(r.Key, Change(r.Change), r.Operation, fields, identifiers);
        }).ToList();
        var c = plan.Counts;
        return new PlanView(plan.Sync, plan.AsOfUtc, c.Planned, c.Added, c.Changed, c.Removed, c.ResultSize, plan.Operations, plan.Skipped, rows, mask);
    }

    /// <summary>A run and the rows it did not confirm (none for runs that recorded no engine run).</summary>
    public async Task<(SyncRun Run, IReadOnlyList<RunErrorView> Rows)> ErrorsAsync(string runId, int limit, CancellationToken ct = default)
    {
        var run = await jobs.RunAsync(runId, ct).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        if (run.Result is not { } result || runner is not EngineSyncRunner engine) return (run, []);
        var rows = await engine.ErrorsAsync(run.SyncName, result.EngineRunId, Math.Clamp(limit, 1, 1000), ct).ConfigureAwait(false);
        return (run, [.. rows.Select(r => new RunErrorView(r.Key, r.Change, r.Operation, r.Outcome.ToString().ToLowerInvariant(), r.Reason, r.Attempts))]);
    }

    private static JsonNode? MaskValue(JsonNode? value) =>
        value is null ? null : JsonValue.Create(PiiMask.Mask(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString()) as string);

    private static string Change(ChangeKind change) => change switch
    {
        ChangeKind.Added => "added",
        ChangeKind.Changed => "changed",
        _ => "removed",
    };
}
