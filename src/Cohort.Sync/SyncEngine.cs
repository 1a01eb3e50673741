using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
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
        _planner = new SyncPlanner(warehouse, tables, new AudienceCompiler(project.Schema, project.Audiences), _time);
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
