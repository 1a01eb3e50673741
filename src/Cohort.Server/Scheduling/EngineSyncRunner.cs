using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Destinations.Configuration;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Services;
using Cohort.Sync;
using Cohort.Sync.Definitions;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.State;

namespace Cohort.Server.Scheduling;

/// <summary>Where the sync engine keeps its state for the server, and where <c>{env: NAME}</c> settings are read.</summary>
public sealed record SyncEngineSettings(string? StatePath = null, Func<string, string?>? Environment = null);

/// <summary>
/// Runs syncs with the sync engine (Cohort.Sync) against the project's warehouse, as <c>cohort sync run</c> does:
/// the stored sync and destination (the same project format), bound to the destination catalog, with
/// <c>{secret: NAME}</c> settings resolved from the server's encrypted <see cref="SecretVault"/> (bound to the
/// sync's destination) and <c>{env: NAME}</c> from the server's environment. One rate-limiter registry is shared by
/// every run of the process. State lives in the warehouse's <c>cohort_state</c> schema, or, for an in-memory DuckDB
/// warehouse, in <c>.cohort/state.duckdb</c> beside the project — the file the CLI uses, so both see the same history.
/// </summary>
public sealed class EngineSyncRunner(ProjectState project, SecretVault vault, SyncEngineSettings settings, TimeProvider clock) : ISyncRunner
{
    private readonly RateLimiterRegistry _limiters = new(clock);

    public string Name => "engine";

    public async Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        var (engine, sync, problem) = await PrepareAsync(syncName, cancellationToken).ConfigureAwait(false);
        if (sync is null) return new SyncRunOutcome(RunStatuses.Failed, problem);
        SyncRunRecord record;
        try
        {
            record = await engine!.RunAsync(sync, new SyncRunOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already running", StringComparison.Ordinal))
        {
            return new SyncRunOutcome(RunStatuses.Failed, e.Message);
        }
        var c = record.Counts;
        var status = record.Status switch
        {
            RunStatus.Succeeded => RunStatuses.Succeeded,
            RunStatus.CompletedWithErrors => RunStatuses.CompletedWithErrors,
            _ => RunStatuses.Failed,
        };
        var result = new SyncRunResult(record.RunId, c.Planned, c.Added, c.Changed, c.Removed, c.Sent, c.Succeeded, c.Failed, c.Skipped, c.Pending,
            c.Requests, c.Retries, (long)record.Timings.Plan.TotalMilliseconds, (long)record.Timings.Send.TotalMilliseconds,
            (long)record.Timings.Commit.TotalMilliseconds, record.AudienceSize)
        {
            MatchRecords = record.MatchRate?.Records,
            MatchUsable = record.MatchRate?.Usable,
        };
        var detail = record.Error ?? $"{c.Planned:N0} planned: {c.Succeeded:N0} succeeded, {c.Failed:N0} failed, {c.Skipped:N0} skipped, {c.Pending:N0} pending.";
        return new SyncRunOutcome(status, detail, result);
    }

    /// <summary>The next run's plan (counts and a sample), without sending anything. Throws <see cref="RequestException"/> when the sync cannot run.</summary>
    public async Task<(SyncPlan Plan, BoundSync Sync)> PlanAsync(string syncName, int sampleSize, CancellationToken cancellationToken)
    {
        var (engine, sync, problem) = await PrepareAsync(syncName, cancellationToken).ConfigureAwait(false);
        if (sync is null) throw new RequestException("The sync cannot run", problem!);
        try
        {
            return (await engine!.PlanAsync(sync, new SyncRunOptions(), sampleSize, cancellationToken).ConfigureAwait(false), sync);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already running", StringComparison.Ordinal))
        {
            throw new ConflictException(e.Message);
        }
    }

    /// <summary>The rows an engine run did not confirm, with the destination's reasons.</summary>
    public async Task<IReadOnlyList<RowFailure>> ErrorsAsync(string syncName, long engineRunId, int limit, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync((await project.CurrentAsync(cancellationToken).ConfigureAwait(false)).Project, null, cancellationToken).ConfigureAwait(false);
        var (_, rows) = await engine.ErrorsAsync(syncName, engineRunId, limit, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private async Task<(SyncEngine? Engine, BoundSync? Sync, string? Problem)> PrepareAsync(string syncName, CancellationToken ct)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        if (!snapshot.Syncs.TryGetValue(syncName, out var stored)) return (null, null, $"There is no sync named '{syncName}'.");
        if (!stored.IsValid) return (null, null, Problems(stored.Diagnostics));
        var bag = new DiagnosticBag();
        var bound = SyncProject.Bind(snapshot.Project, stored.Bound!, project.Catalog, bag);
        if (bound is null) return (null, null, bag.HasErrors ? Problems(bag.ToImmutable()) : "The project has errors (see the schema); nothing was sent.");
        return (await EngineAsync(snapshot.Project, bound.Destination.Name, ct).ConfigureAwait(false), bound, null);
    }

    private async Task<SyncEngine> EngineAsync(LoadedProject loaded, string? destination, CancellationToken ct)
    {
        var warehouse = await project.WarehouseAsync(ct).ConfigureAwait(false);
        var definition = project.Definition;
        var state = StateLocation.InWarehouse;
        if (definition.Warehouse is WarehouseConfig.DuckDb { InMemory: true })
        {
            var path = settings.StatePath ?? Path.Combine(definition.Directory, ".cohort", "state.duckdb");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            state = StateLocation.AttachedDuckDb(path);
        }
        var secrets = new SecretResolver(settings.Environment, destination is null ? null : new VaultSecretStore(vault, destination));
        return new SyncEngine(warehouse, loaded, project.Catalog, clock, new SyncEngineOptions
        {
            State = state,
            Secrets = secrets,
            Limiters = _limiters,
            BaseDirectory = definition.Directory,
        });
    }

    private static string Problems(IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        return $"The sync has {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was sent. {string.Join(" ", errors.Take(3).Select(e => $"{e.Code}: {e.Message}"))}";
    }

    /// <summary>The secrets of one destination: <c>{secret: NAME}</c> in its settings reads NAME from the vault, bound to that destination.</summary>
    private sealed class VaultSecretStore(SecretVault vault, string destination) : ISecretStore
    {
        public async ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken) =>
            await vault.RevealAsync(destination, name, cancellationToken).ConfigureAwait(false);
    }
}
