using System.Collections.Immutable;
using Cohort.Core.Time;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
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
            var limiter = limiters.For(sync.Destination.Name, descriptor.RequestsPerSecond, descriptor.MaxConcurrentRequests);
            var sender = new BatchSender(destination, limiter, time, retry);
            var batchSize = Math.Max(1, descriptor.MaxRecordsPerBatch);
            var concurrency = Math.Max(1, Math.Min(descriptor.MaxConcurrentRequests, limiter.MaxConcurrentRequests));
            var pageSize = options.PageSize ?? Math.Clamp(batchSize * concurrency * 4, 1_000, 50_000);
            var (onAdded, onChanged, onRemoved) = sync.Operations;
            var durableLater = descriptor.CommitOnComplete;
            string? stop = null;
            long processed = 0;
            var page = 0;
            var next = planner.PageAsync(sync.Name, null, pageSize, cancellationToken);
            while (stop is null)
            {
                var rows = await next.ConfigureAwait(false);
                if (rows.Count == 0) break;
                page++;
                next = rows.Count < pageSize ? Task.FromResult(new List<PlannedRow>()) : planner.PageAsync(sync.Name, rows[^1].Key, pageSize, cancellationToken);
                await crash(SyncStep.BeforeSend, page).ConfigureAwait(false);

                var sendStarted = time.GetTimestamp();
                var skipped = new List<LogRow>();
                var confirmed = new List<LogRow>();
                var failures = new List<RunRow>();
                var work = new Dictionary<BatchOperation, List<(PlannedRow Row, OutboundRecord Record)>>();
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
                    var (fields, identifiers) = row.Payload is null ? (ImmutableDictionary<string, object?>.Empty, ImmutableDictionary<IdentifierType, string>.Empty) : PayloadSql.Parse(row.Payload);
                    var record = new OutboundRecord(row.Key, fields, identifiers);
                    if (Invalid(sync, descriptor, operation.Value, record) is { } reason)
                    {
                        failures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), Name(operation.Value), RowOutcome.Invalid, reason, 0));
                        continue;
                    }
                    if (!work.TryGetValue(operation.Value, out var list)) work[operation.Value] = list = [];
                    list.Add((row, record));
                }

                var batches = work.SelectMany(w => Chunks(w.Value, batchSize, descriptor.MaxBytesPerBatch).Select(c => (Operation: w.Key, Items: c))).ToList();
                var results = new List<(BatchOperation Operation, IReadOnlyList<(PlannedRow Row, OutboundRecord Record)> Items, IReadOnlyList<SentRecord> Sent)>();
                var gate = new object();
                await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (batch, token) =>
                {
                    IReadOnlyList<SentRecord> sent;
                    if (Volatile.Read(ref stop) is { } stopped)
                    {
                        // The sync is stopping (credentials or configuration): send nothing more.
                        sent = [.. batch.Items.Select(i => new SentRecord(i.Record, RecordOutcome.Pending, SyncMessages.NotAttempted, 0, false))];
                        lock (gate) results.Add((batch.Operation, batch.Items, sent));
                        return;
                    }
                    try
                    {
                        sent = await sender.SendAsync(batch.Operation, [.. batch.Items.Select(i => i.Record)], token).ConfigureAwait(false);
                    }
                    catch (SyncStoppedException e)
                    {
                        lock (gate) stop ??= SyncMessages.SyncStopped(sync.Name, e.Message);
                        sent = [.. batch.Items.Select(i => new SentRecord(i.Record, RecordOutcome.Pending, e.Message, 1, true))];
                    }
                    lock (gate) results.Add((batch.Operation, batch.Items, sent));
                }).ConfigureAwait(false);
                run.Send += time.GetElapsedTime(sendStarted);

                foreach (var (operation, items, sent) in results)
                {
                    var rowsByKey = items.ToDictionary(i => i.Row.Key, i => i.Row, StringComparer.Ordinal);
                    foreach (var s in sent)
                    {
                        var row = rowsByKey[s.Record.Key];
                        if (s.WasSent) run.Sent++;
                        switch (s.Outcome)
                        {
                            case RecordOutcome.Succeeded:
                                confirmed.Add(new LogRow(row.Key, PlannedRow.Text(row.Change), !IsExit(operation), row.Payload));
                                break;
                            case RecordOutcome.Rejected:
                                failures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), Name(operation), RowOutcome.Rejected, s.Reason, s.Attempts));
                                break;
                            case RecordOutcome.Invalid:
                                failures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), Name(operation), RowOutcome.Invalid, s.Reason, s.Attempts));
                                break;
                            default:
                                failures.Add(new RunRow(row.Key, PlannedRow.Text(row.Change), Name(operation), RowOutcome.Pending, s.Reason, s.Attempts));
                                break;
                        }
                    }
                }
                await crash(SyncStep.AfterSend, page).ConfigureAwait(false);

                var commitStarted = time.GetTimestamp();
                await store.AppendLogAsync(sync.Name, runId, page, skipped, confirmed: true, cancellationToken).ConfigureAwait(false);
                await store.AppendLogAsync(sync.Name, runId, page, confirmed, confirmed: !durableLater, cancellationToken).ConfigureAwait(false);
                await store.AppendRunRowsAsync(sync.Name, runId, failures, cancellationToken).ConfigureAwait(false);
                run.Commit += time.GetElapsedTime(commitStarted);
                await crash(SyncStep.AfterCommit, page).ConfigureAwait(false);

                run.Skipped += skipped.Count;
                run.Confirmed += confirmed.Count;
                run.Invalid += failures.Count(f => f.Outcome == RowOutcome.Invalid);
                run.Rejected += failures.Count(f => f.Outcome == RowOutcome.Rejected);
                run.Pending += failures.Count(f => f.Outcome == RowOutcome.Pending);
                processed += rows.Count;
            }
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

    private static string? Invalid(BoundSync sync, DestinationDescriptor descriptor, BatchOperation operation, OutboundRecord record)
    {
        if (operation is BatchOperation.Add or BatchOperation.Remove && sync.DestinationType is { AcceptsAnyIdentifier: false, Identifiers.Length: > 0 }
            && record.Identifiers.Count == 0)
            return SyncMessages.NoIdentifier;
        if (operation is BatchOperation.Add or BatchOperation.Upsert or BatchOperation.Insert or BatchOperation.Update)
        {
            foreach (var field in descriptor.Fields.Where(f => f.Required))
            {
                if (record.Fields.GetValueOrDefault(field.Name) is null or "")
                    return SyncMessages.RequiredFieldMissing(field.Name);
            }
        }
        return null;
    }

    private static IEnumerable<List<(PlannedRow Row, OutboundRecord Record)>> Chunks(List<(PlannedRow Row, OutboundRecord Record)> items, int size, long? maxBytes)
    {
        var chunk = new List<(PlannedRow, OutboundRecord)>(Math.Min(size, items.Count));
        long bytes = 0;
        foreach (var item in items)
        {
            var estimate = (item.Row.Payload?.Length ?? 0) + item.Row.Key.Length + 64L;
            if (chunk.Count > 0 && (chunk.Count >= size || (maxBytes is { } max && bytes + estimate > max)))
            {
                yield return chunk;
                chunk = new List<(PlannedRow, OutboundRecord)>(Math.Min(size, items.Count));
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
            plan?.ResultSize, counts, new RunTimings(plan?.Elapsed ?? TimeSpan.Zero, run.Send, run.Commit, time.GetElapsedTime(started)), error);
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

        public long Accounted => Confirmed + Invalid + Rejected + Skipped + Pending;
    }
}
