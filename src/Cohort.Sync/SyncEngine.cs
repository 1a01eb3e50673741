using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;
using Cohort.Sql.Compile;
using Cohort.Sync.Definitions;
using Cohort.Sync.Planning;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.State;
using Cohort.Warehouses;

namespace Cohort.Sync;

/// <summary>Everything a <see cref="SyncEngine"/> needs besides the warehouse and the project.</summary>
public sealed record SyncEngineOptions
{
    /// <summary>Where the state tables live (default: the <c>cohort_state</c> schema of the warehouse).</summary>
    public StateLocation State { get; init; } = StateLocation.InWarehouse;

    /// <summary>How <c>{env: ...}</c> and <c>{secret: ...}</c> settings are resolved (default: the process environment, no store).</summary>
    public SecretResolver Secrets { get; init; } = SecretResolver.Default;

    public RetryOptions Retry { get; init; } = new();

    /// <summary>Per-destination limiters; share one registry between engines of a process so runs to one destination share its limits.</summary>
    public RateLimiterRegistry? Limiters { get; init; }

    /// <summary>The folder relative paths in destination settings are resolved against (the project folder).</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>The result of a dry run: what a run would send, without sending anything.</summary>
public sealed record SyncPlan(
    string Sync,
    DateTime AsOfUtc,
    PlanCounts Counts,
    IReadOnlyDictionary<string, long> Operations,
    long Skipped,
    IReadOnlyList<PlanSampleRow> Sample);

/// <summary>
/// The match-rate report of a sync: over the members the sync would hold now, the share having each identifier the
/// destination accepts in a form it can use (valid after the destination's own normalisation), the invalid values
/// per identifier kind, and the members with no usable identifier (which a run reports as invalid, never sent).
/// </summary>
/// <param name="Profile">The identifier profile the destination normalises with (e.g. <c>meta</c>).</param>
public sealed record SyncMatchRate(string Sync, string DestinationType, string Profile, MatchRateReport Report);

/// <summary>A row of a plan's sample: key, change, the operation it would be sent with (null when skipped) and its payload.</summary>
public sealed record PlanSampleRow(string Key, ChangeKind Change, string? Operation, string? Payload);

/// <summary>
/// The sync engine's API: plan (dry run), run, and read run history, row failures and membership history of a
/// project's syncs against its warehouse. Runs of different syncs are independent and may run concurrently; a sync
/// runs once at a time per process.
/// </summary>
public sealed class SyncEngine
{
    private static readonly ConditionalWeakTable<IWarehouse, ConcurrentDictionary<string, SemaphoreSlim>> Locks = new();

    private readonly IWarehouse _warehouse;
    private readonly LoadedProject _project;
    private readonly TimeProvider _time;
    private readonly SyncEngineOptions _options;
    private readonly StateStore _store;
    private readonly SyncPlanner _planner;
    private readonly SyncRunner _runner;
    private readonly AudienceCompiler _compiler;
    private readonly StateTables _tables;

    public SyncEngine(IWarehouse warehouse, LoadedProject project, DestinationCatalog catalog, TimeProvider? time = null, SyncEngineOptions? options = null)
    {
        _warehouse = warehouse ?? throw new ArgumentNullException(nameof(warehouse));
        _project = project ?? throw new ArgumentNullException(nameof(project));
        ArgumentNullException.ThrowIfNull(catalog);
        _time = time ?? TimeProvider.System;
        _options = options ?? new SyncEngineOptions();
        _options.Retry.Validate();
        var tables = new StateTables(_options.State, StateDialect.For(warehouse.Dialect));
        _store = new StateStore(warehouse, tables);
        _compiler = new AudienceCompiler(project.Schema, project.Audiences);
        _tables = tables;
        _planner = new SyncPlanner(warehouse, tables, _compiler, _time);
        _runner = new SyncRunner(_store, _planner, catalog, _options.Secrets, _options.Limiters ?? new RateLimiterRegistry(_time), _options.Retry, _time,
            _options.BaseDirectory ?? project.Project.Directory);
    }

    internal SyncPlanner Planner => _planner;

    /// <summary>Runs a sync: sends its changes and records the run. Destination failures end in a record with status Failed and the error; warehouse failures are thrown after the run is recorded as failed.</summary>
    public async Task<SyncRunRecord> RunAsync(BoundSync sync, SyncRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        options ??= new SyncRunOptions();
        using var _ = await LockAsync(sync.Name).ConfigureAwait(false);
        return await _runner.RunAsync(sync, Evaluation(options), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A dry run: folds what earlier runs confirmed, computes the plan in the warehouse, and reports it with a sample. Nothing is sent.</summary>
    public async Task<SyncPlan> PlanAsync(BoundSync sync, SyncRunOptions? options = null, int sampleSize = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        options ??= new SyncRunOptions();
        using var _ = await LockAsync(sync.Name).ConfigureAwait(false);
        var evaluation = Evaluation(options);
        await _store.EnsureAsync(sync.Name, cancellationToken).ConfigureAwait(false);
        await _store.MarkInterruptedAsync(sync.Name, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        await _store.FoldAsync(sync.Name, -1, _ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        if (await _store.CheckFingerprintAsync(sync.Name, sync.Fingerprint, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false))
        {
            // The destination changed: the plan is against an empty snapshot, as the next run will be.
        }
        var counts = await _planner.PlanAsync(sync, evaluation, cancellationToken).ConfigureAwait(false);
        var (added, changed, removed) = sync.Operations;
        var operations = new Dictionary<string, long>(StringComparer.Ordinal);
        long skipped = 0;
        void Count(BatchOperation? operation, long n)
        {
            if (n == 0) return;
            if (operation is null) skipped += n;
            else operations[SyncRunner.Name(operation.Value)] = operations.GetValueOrDefault(SyncRunner.Name(operation.Value)) + n;
        }
        Count(added, counts.Added);
        Count(changed, counts.Changed);
        Count(removed, counts.Removed);
        var sample = sampleSize <= 0 ? [] : await _planner.PageAsync(sync.Name, null, sampleSize, cancellationToken).ConfigureAwait(false);
        return new SyncPlan(sync.Name, evaluation.AsOfUtc, counts, operations, skipped,
            [.. sample.Select(r => new PlanSampleRow(r.Key, r.Change, (r.Change switch { ChangeKind.Added => added, ChangeKind.Changed => changed, _ => removed }) is { } op ? SyncRunner.Name(op) : null, r.Payload))]);
    }

    /// <summary>
    /// The match-rate report of a sync (docs/sync.md, "Match rate"): streams the identifiers of the members the sync would
    /// hold now (its audience minus exclusions, as of the evaluation instant) out of the warehouse, page by page, and
    /// normalises them with the destination's profile, keeping only counters. Reads no state, sends nothing and needs no
    /// secrets. Null when the destination normalises no identifiers (webhook, file, postgres, Salesforce) or the sync maps
    /// none it accepts.
    /// </summary>
    public async Task<SyncMatchRate?> MatchRateAsync(BoundSync sync, SyncRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (sync.DestinationType.ProfileOf(sync.Destination) is not { } profile) return null;
        var accepted = sync.DestinationType.IdentifiersOf(sync.Destination);
        var mapped = sync.Identifiers.Select(i => i.Identifier!.Value).ToHashSet();
        foreach (var type in profile.Types)
        {
            if (!mapped.Contains(type) || (accepted.Length > 0 && !accepted.Contains(type))) profile = profile.Without(type);
        }
        if (profile.Types.Length == 0) return null;

        var identifiers = sync with { Payload = [.. sync.Payload.Where(p => p.Section == PayloadSection.Identifier && profile.Types.Contains(p.Identifier!.Value))] };
        var sql = PayloadSql.Result(identifiers, _compiler, Evaluation(options ?? new SyncRunOptions()), _tables.Dialect);
        var names = new PayloadNames([], profile.Types);
        var accumulator = new MatchRateAccumulator(profile);
        await foreach (var row in _warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            var (_, values) = PayloadSql.Parse((string)row[1]!, names);
            accumulator.Add(new OutboundRecord((string)row[0]!, System.Collections.Immutable.ImmutableDictionary<string, object?>.Empty, values));
        }
        return new SyncMatchRate(sync.Name, sync.DestinationType.Name, profile.Name, accumulator.ToReport());
    }

    /// <summary>The most recent runs of a sync, newest first.</summary>
    public async Task<IReadOnlyList<SyncRunRecord>> HistoryAsync(string sync, int limit = 20, CancellationToken cancellationToken = default)
    {
        await _store.EnsureAsync(sync, cancellationToken).ConfigureAwait(false);
        return await _store.RunsAsync(sync, null, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run of a sync; null when there is none with that id.</summary>
    public async Task<SyncRunRecord?> RunRecordAsync(string sync, long runId, CancellationToken cancellationToken = default)
    {
        await _store.EnsureAsync(sync, cancellationToken).ConfigureAwait(false);
        return (await _store.RunsAsync(sync, runId, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>The rows a run did not confirm (invalid, rejected, pending) with their reasons; the latest run when <paramref name="runId"/> is null.</summary>
    public async Task<(SyncRunRecord? Run, IReadOnlyList<RowFailure> Rows)> ErrorsAsync(string sync, long? runId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await _store.EnsureAsync(sync, cancellationToken).ConfigureAwait(false);
        var run = (await _store.RunsAsync(sync, runId, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (run is null) return (null, []);
        return (run, await _store.FailuresAsync(sync, run.RunId, limit, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Rows that entered or left the sync's result, as committed by its runs (newest first).</summary>
    public async Task<IReadOnlyList<MembershipEvent>> MembershipHistoryAsync(string sync, long? runId = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await _store.EnsureAsync(sync, cancellationToken).ConfigureAwait(false);
        return await _store.MembershipAsync(sync, runId, limit, cancellationToken).ConfigureAwait(false);
    }

    private EvaluationContext Evaluation(SyncRunOptions options) =>
        options.Evaluation ?? EvaluationContext.Now(_time, _project.Project.ResolveTimeZone());

    private async Task<IDisposable> LockAsync(string sync)
    {
        var gate = Locks.GetOrCreateValue(_warehouse).GetOrAdd(_options.State.QualifiedSchema + "/" + sync, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(TimeSpan.Zero).ConfigureAwait(false))
            throw new InvalidOperationException(SyncMessages.SyncBusy(sync));
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
