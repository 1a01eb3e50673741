using System.Collections.Immutable;
using Cohort.Core.Time;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;
using Cohort.Sync.Definitions;
using Cohort.Sync.Planning;
using Cohort.Sync.Records;
using Cohort.Sync.State;
using Cohort.Warehouses;

namespace Cohort.Sync.Running;

/// <summary>
/// One run of one sync (docs/sync.md, "Run loop"): recover and fold, plan in the warehouse, read the plan page by page,
/// send each page in batches through the destination's limiter with retries and splitting, commit the confirmed rows
/// of the page to the log, complete the destination, fold the log into the snapshot, and record the run.
/// </summary>
internal sealed class SyncRunner(
    StateStore store,
    SyncPlanner planner,
    DestinationCatalog catalog,
    SecretResolver secrets,
    RateLimiterRegistry limiters,
    RetryOptions retry,
    TimeProvider time,
    string? baseDirectory)
{
    public async Task<SyncRunRecord> RunAsync(BoundSync sync, EvaluationContext evaluation, SyncRunOptions options, CancellationToken cancellationToken)
    {
        var hook = options.CrashHook;
        ValueTask Crash(SyncStep step, int page = 0) => hook is null ? ValueTask.CompletedTask : hook(new CrashPoint(step, page));
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow().UtcDateTime;

        await store.EnsureAsync(sync.Name, cancellationToken).ConfigureAwait(false);
        await store.MarkInterruptedAsync(sync.Name, startedAt, cancellationToken).ConfigureAwait(false);
        var runId = await store.NextRunIdAsync(cancellationToken).ConfigureAwait(false);
        await store.FoldAsync(sync.Name, runId, step => Crash(step), cancellationToken).ConfigureAwait(false);
        await store.CheckFingerprintAsync(sync.Name, sync.Fingerprint, startedAt, cancellationToken).ConfigureAwait(false);
        await store.StartRunAsync(runId, sync.Name, sync.Destination.Name, ModeName(sync), startedAt, evaluation.AsOfUtc, cancellationToken).ConfigureAwait(false);
        await Crash(SyncStep.RunStarted).ConfigureAwait(false);

        var run = new RunState();
        PlanCounts? plan = null;
        string? error = null;
        try
        {
            plan = await planner.PlanAsync(sync, evaluation, cancellationToken).ConfigureAwait(false);
            run.Planned = plan.Planned;
            await Crash(SyncStep.Planned).ConfigureAwait(false);
            error = await SendAsync(sync, runId, plan, options, run, Crash, cancellationToken).ConfigureAwait(false);
            var commitStarted = time.GetTimestamp();
            await store.FoldAsync(sync.Name, runId, step => Crash(step), cancellationToken).ConfigureAwait(false);
            run.Commit += time.GetElapsedTime(commitStarted);
            await Crash(SyncStep.BeforeFinish).ConfigureAwait(false);
        }
        catch (SimulatedCrashException)
        {
            throw;
        }
        catch (Exception e) when (e is WarehouseException or OperationCanceledException)
        {
            var failed = Record(sync, runId, startedAt, evaluation, plan, run, started, e is OperationCanceledException ? "The run was cancelled." : e.Message, stopped: true);
            await TryFinishAsync(failed).ConfigureAwait(false);
            throw;
        }

        var record = Record(sync, runId, startedAt, evaluation, plan, run, started, error, stopped: error is not null);
        await store.FinishRunAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task TryFinishAsync(SyncRunRecord record)
    {
        try
        {
            await store.FinishRunAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WarehouseException)
        {
            // The warehouse is what failed; the next run marks this one interrupted.
        }
    }

    /// <summary>Sends every page; returns the error that stopped the run, or null.</summary>
    private async Task<string?> SendAsync(BoundSync sync, long runId, PlanCounts plan, SyncRunOptions options, RunState run,
        Func<SyncStep, int, ValueTask> crash, CancellationToken cancellationToken)
    {
        if (plan.Planned == 0) return null;
        var context = new DestinationContext(sync.Destination.Name, sync.Name, runId, time)
        {
            Fields = [.. sync.Fields.Select(f => new OutputField(f.Name, f.Type))],
            Identifiers = [.. sync.Identifiers.Select(i => i.Identifier!.Value)],
            Operations = sync.AllOperations,
            BaseDirectory = baseDirectory,
        };
        IDestination destination;
        try
        {
            destination = await catalog.CreateAsync(sync.Destination, context, secrets, cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationException e)
        {
            run.Pending += plan.Planned;
            return SyncMessages.SyncStopped(sync.Name, e.Message);
        }
        await using (destination.ConfigureAwait(false))
        {
            var descriptor = destination.Descriptor;
            if ((destination as IIdentifierProfileSource)?.IdentifierProfile is { } profile) run.Match = new MatchRateAccumulator(profile);
            var limiter = limiters.For(sync.Destination.Name, descriptor.RequestsPerSecond, descriptor.MaxConcurrentRequests);
            var sender = new BatchSender(destination, limiter, time, retry);
            var batchSize = Math.Max(1, descriptor.MaxRecordsPerBatch);
            var concurrency = Math.Max(1, Math.Min(descriptor.MaxConcurrentRequests, limiter.MaxConcurrentRequests));
            var pageSize = options.PageSize ?? Math.Clamp(batchSize * concurrency * 16, 1_000, 50_000);
            var (onAdded, onChanged, onRemoved) = sync.Operations;
            var durableLater = descriptor.CommitOnComplete;
            var required = descriptor.Fields.Where(f => f.Required).ToArray();
            var names = new PayloadNames(sync.Fields.Select(f => f.Name), sync.Identifiers.Select(i => i.Identifier!.Value));
            string? stop = null;
            long processed = 0;
            var page = 0;
            var next = planner.PageAsync(sync.Name, null, pageSize, cancellationToken);
            Task commit = Task.CompletedTask;
            while (stop is null)
            {
                var rows = await next.ConfigureAwait(false);
                if (rows.Count == 0) break;
                page++;
                // Read the next page while this one is sent (DuckDB completes calls on the calling thread: give it one).
                var after = rows[^1].Key;
                next = rows.Count < pageSize
                    ? Task.FromResult(new List<PlannedRow>())
                    : Task.Run(() => planner.PageAsync(sync.Name, after, pageSize, cancellationToken), cancellationToken);
                await crash(SyncStep.BeforeSend, page).ConfigureAwait(false);

                var sendStarted = time.GetTimestamp();
                var skipped = new List<LogRow>();
                var confirmed = new List<LogRow>();
                var failures = new List<RunRow>();
                var work = new Dictionary<BatchOperation, List<PlannedRow>>();
                foreach (var row in rows)
                {
                    var operation = row.Change switch
                    {
                        ChangeKind.Added => onAdded,
                        ChangeKind.Changed => onChanged,
                        _ => onRemoved,
                    };
                    if (operation is null)
                    {
                        skipped.Add(new LogRow(row.Key, PlannedRow.Text(row.Change), row.Change != ChangeKind.Removed, row.Payload));
                        continue;
                    }
                    if (!work.TryGetValue(operation.Value, out var list)) work[operation.Value] = list = [];
                    list.Add(row);
                }

                // Each worker turns its rows into records (parsing payloads, checking them) and sends them, so the CPU work of
                // one batch overlaps the network wait of the others.
                var batches = work.SelectMany(w => Chunks(w.Value, batchSize, descriptor.MaxBytesPerBatch).Select(c => (Operation: w.Key, Rows: c))).ToList();
                var gate = new object();
                await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (batch, token) =>
                {
                    var name = Name(batch.Operation);
                    var records = new List<OutboundRecord>(batch.Rows.Count);
                    var changes = new Dictionary<string, PlannedRow>(batch.Rows.Count, StringComparer.Ordinal);
                    var localFailures = new List<RunRow>();
                    foreach (var row in batch.Rows)
                    {
                        var (fields, identifiers) = row.Payload is null
                            ? (ImmutableDictionary<string, object?>.Empty, ImmutableDictionary<IdentifierType, string>.Empty)
                            : PayloadSql.Parse(row.Payload, names);
                        var record = new OutboundRecord(row.Key, fields, identifiers);
                        if (run.Match is { } match && row.Change != ChangeKind.Removed)
                            lock (match) match.Add(record);
                        if (Invalid(sync, required, batch.Operation, record) is { } reason)
                            localFailures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), name, RowOutcome.Invalid, reason, 0));
                        else
                        {
                            records.Add(record);
                            changes[row.Key] = row;
                        }
                    }
                    IReadOnlyList<SentRecord> sent;
                    if (records.Count == 0) sent = [];
                    else if (Volatile.Read(ref stop) is not null)
                    {
                        // The sync is stopping (credentials or configuration): send nothing more.
                        sent = [.. records.Select(r => new SentRecord(r, RecordOutcome.Pending, SyncMessages.NotAttempted, 0, false))];
                    }
                    else
                    {
                        try
                        {
                            sent = await sender.SendAsync(batch.Operation, records, token).ConfigureAwait(false);
                        }
                        catch (SyncStoppedException e)
                        {
                            lock (gate) stop ??= SyncMessages.SyncStopped(sync.Name, e.Message);
                            sent = [.. records.Select(r => new SentRecord(r, RecordOutcome.Pending, e.Message, 1, true))];
                        }
                    }
                    var localConfirmed = new List<LogRow>(sent.Count);
                    var exit = IsExit(batch.Operation);
                    var sentCount = 0;
                    foreach (var s in sent)
                    {
                        var row = changes[s.Record.Key];
                        if (s.WasSent) sentCount++;
                        if (s.Outcome == RecordOutcome.Succeeded)
                        {
                            localConfirmed.Add(new LogRow(row.Key, PlannedRow.Text(row.Change), !exit, row.Payload));
                            continue;
                        }
                        var outcome = s.Outcome switch
                        {
                            RecordOutcome.Rejected => RowOutcome.Rejected,
                            RecordOutcome.Invalid => RowOutcome.Invalid,
                            _ => RowOutcome.Pending,
                        };
                        localFailures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), name, outcome, s.Reason, s.Attempts));
                    }
                    lock (gate)
                    {
                        confirmed.AddRange(localConfirmed);
                        failures.AddRange(localFailures);
                        run.Sent += sentCount;
                    }
                }).ConfigureAwait(false);
                run.Send += time.GetElapsedTime(sendStarted);
                await crash(SyncStep.AfterSend, page).ConfigureAwait(false);

                // The page is committed while the next one is sent; pages are committed in order, so at most the page being
                // committed and the page being sent are unrecorded when the process dies (both are sent again, idempotently).
                await commit.ConfigureAwait(false);
                var pageNumber = page;
                // DuckDB completes its calls on the calling thread, so the commit gets a thread of its own.
                commit = Task.Run(() => CommitAsync(sync.Name, runId, pageNumber, skipped, confirmed, failures, durableLater, run, crash, cancellationToken), cancellationToken);
                run.Skipped += skipped.Count;
                run.Confirmed += confirmed.Count;
                run.Invalid += failures.Count(f => f.Outcome == RowOutcome.Invalid);
                run.Rejected += failures.Count(f => f.Outcome == RowOutcome.Rejected);
                run.Pending += failures.Count(f => f.Outcome == RowOutcome.Pending);
                processed += rows.Count;
            }
            await commit.ConfigureAwait(false);
            await Drain(next).ConfigureAwait(false);
            run.Requests = sender.Requests;
            run.Retries = sender.Retries;
            run.Pending += plan.Planned - processed;

            if (stop is null)
            {
                try
                {
                    await destination.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DestinationException e)
                {
                    stop = SyncMessages.SyncStopped(sync.Name, SyncMessages.CompleteFailed(e.Message));
                }
            }
            if (stop is null)
            {
                await crash(SyncStep.AfterComplete, 0).ConfigureAwait(false);
                if (durableLater)
                {
                    await store.ConfirmRunAsync(sync.Name, runId, cancellationToken).ConfigureAwait(false);
                    await crash(SyncStep.AfterConfirm, 0).ConfigureAwait(false);
                }
            }
            else if (durableLater)
            {
                // Nothing this run sent is durable: the destination never completed. Those rows are sent again next run.
                run.Pending += run.Confirmed;
                run.Confirmed = 0;
            }
            return stop;
        }
    }

    /// <summary>Writes a page's confirmed and skipped rows to the log, then its unconfirmed rows to run_rows.</summary>
    private async Task CommitAsync(string sync, long runId, int page, List<LogRow> skipped, List<LogRow> confirmed, List<RunRow> failures, bool durableLater,
        RunState run, Func<SyncStep, int, ValueTask> crash, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await store.AppendLogAsync(sync, runId, page, skipped, confirmed: true, cancellationToken).ConfigureAwait(false);
        await store.AppendLogAsync(sync, runId, page, confirmed, confirmed: !durableLater, cancellationToken).ConfigureAwait(false);
        await store.AppendRunRowsAsync(sync, runId, failures, cancellationToken).ConfigureAwait(false);
        lock (run) run.Commit += time.GetElapsedTime(started);
        await crash(SyncStep.AfterCommit, page).ConfigureAwait(false);
    }

    /// <summary>Waits for a page read that is no longer needed, so it does not outlive the run.</summary>
    private static async Task Drain(Task<List<PlannedRow>> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WarehouseException or OperationCanceledException)
        {
            // The run is over; its outcome does not depend on this read.
        }
    }

    private static string? Invalid(BoundSync sync, DestinationField[] required, BatchOperation operation, OutboundRecord record)
    {
        if (operation is BatchOperation.Add or BatchOperation.Remove && sync.DestinationType is { AcceptsAnyIdentifier: false, Identifiers.Length: > 0 }
            && record.Identifiers.Count == 0)
            return SyncMessages.NoIdentifier;
        if (operation is BatchOperation.Add or BatchOperation.Upsert or BatchOperation.Insert or BatchOperation.Update)
        {
            foreach (var field in required)
            {
                if (record.Fields.GetValueOrDefault(field.Name) is null or "")
                    return SyncMessages.RequiredFieldMissing(field.Name);
            }
        }
        return null;
    }

    /// <summary>Batches of at most <paramref name="size"/> rows and, when the destination says, about <paramref name="maxBytes"/> of payload.</summary>
    private static IEnumerable<List<PlannedRow>> Chunks(List<PlannedRow> items, int size, long? maxBytes)
    {
        var chunk = new List<PlannedRow>(Math.Min(size, items.Count));
        long bytes = 0;
        foreach (var item in items)
        {
            var estimate = (item.Payload?.Length ?? 0) + item.Key.Length + 64L;
            if (chunk.Count > 0 && (chunk.Count >= size || (maxBytes is { } max && bytes + estimate > max)))
            {
                yield return chunk;
                chunk = new List<PlannedRow>(Math.Min(size, items.Count));
                bytes = 0;
            }
            chunk.Add(item);
            bytes += estimate;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    private static bool IsExit(BatchOperation operation) => operation is BatchOperation.Remove or BatchOperation.Delete or BatchOperation.Archive;

    internal static string Name(BatchOperation operation) => operation.ToString().ToLowerInvariant();

    internal static string ModeName(BoundSync sync) => sync.Mode.ToString().ToLowerInvariant();

    private SyncRunRecord Record(BoundSync sync, long runId, DateTime startedAt, EvaluationContext evaluation, PlanCounts? plan, RunState run, long started,
        string? error, bool stopped)
    {
        var planned = plan?.Planned ?? 0;
        var pending = run.Pending;
        if (plan is not null && run.Accounted < planned && stopped) pending += planned - run.Accounted;
        var counts = new RunCounts(planned, plan?.Added ?? 0, plan?.Changed ?? 0, plan?.Removed ?? 0, run.Sent, run.Confirmed, run.Invalid, run.Rejected,
            run.Skipped, pending, run.Requests, run.Retries);
        var status = stopped ? RunStatus.Failed : counts.Failed + counts.Pending > 0 ? RunStatus.CompletedWithErrors : RunStatus.Succeeded;
        return new SyncRunRecord(runId, sync.Name, sync.Destination.Name, ModeName(sync), status, startedAt, evaluation.AsOfUtc, time.GetUtcNow().UtcDateTime,
            plan?.ResultSize, counts, new RunTimings(plan?.Elapsed ?? TimeSpan.Zero, run.Send, run.Commit, time.GetElapsedTime(started)), error)
        {
            MatchRate = run.Match?.ToReport() is { } report ? new RunMatchRate(report.Records, report.Usable) : null,
        };
    }

    /// <summary>Counters of a run in progress.</summary>
    private sealed class RunState
    {
        public long Planned;
        public long Sent;
        public long Confirmed;
        public long Invalid;
        public long Rejected;
        public long Skipped;
        public long Pending;
        public long Requests;
        public long Retries;
        public TimeSpan Send;
        public TimeSpan Commit;

        /// <summary>Counts upserted rows by usable identifier, with the platform's normalisation; null when it has none.</summary>
        public MatchRateAccumulator? Match;

        public long Accounted => Confirmed + Invalid + Rejected + Skipped + Pending;
    }
}
