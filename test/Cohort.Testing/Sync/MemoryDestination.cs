using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;

namespace Cohort.Testing.Sync;

/// <summary>
/// An in-memory destination for engine tests: it applies every operation to a dictionary by key (with the semantics
/// the contract gives each operation), records every request, and lets a test inject failures per request or per
/// record. <see cref="Open"/> gives the connector a run uses; the store outlives runs, like a real destination.
/// </summary>
public sealed class MemoryDestinationStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ImmutableDictionary<string, object?>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableDictionary<IdentifierType, string>> _identifiers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private readonly List<(BatchOperation Operation, string Key)> _applied = [];
    private readonly List<DestinationBatch> _requests = [];
    private List<(BatchOperation Operation, OutboundRecord Record)> _staged = [];

    public DestinationDescriptor Descriptor { get; set; } = new("memory",
        [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert, BatchOperation.Update, BatchOperation.Insert, BatchOperation.Delete, BatchOperation.Archive],
        MaxRecordsPerBatch: 100);

    /// <summary>Called before a request is applied, with the request number (from 1); throw a DestinationException to fail it.</summary>
    public Func<DestinationBatch, int, Task>? BeforeRequest { get; set; }

    /// <summary>Per-record outcome override; return null to apply the record normally.</summary>
    public Func<OutboundRecord, RecordResult?>? PerRecord { get; set; }

    /// <summary>A request whose batch holds a record matching this is rejected whole (HTTP 400-like), to exercise splitting.</summary>
    public Func<OutboundRecord, bool>? PoisonsBatch { get; set; }

    /// <summary>Fails <see cref="IDestination.CompleteAsync"/> with this exception when set.</summary>
    public Exception? FailComplete { get; set; }

    public int Requests
    {
        get { lock (_gate) return _requests.Count; }
    }

    public IReadOnlyDictionary<string, ImmutableDictionary<string, object?>> Records
    {
        get { lock (_gate) return new Dictionary<string, ImmutableDictionary<string, object?>>(_records, StringComparer.Ordinal); }
    }

    public IReadOnlyDictionary<string, ImmutableDictionary<IdentifierType, string>> Identifiers
    {
        get { lock (_gate) return new Dictionary<string, ImmutableDictionary<IdentifierType, string>>(_identifiers, StringComparer.Ordinal); }
    }

    public IReadOnlySet<string> Archived
    {
        get { lock (_gate) return new HashSet<string>(_archived, StringComparer.Ordinal); }
    }

    public IReadOnlyList<(BatchOperation Operation, string Key)> Applied
    {
        get { lock (_gate) return [.. _applied]; }
    }

    public IReadOnlyList<DestinationBatch> RequestLog
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public IDestination Open() => new MemoryDestination(this);

    /// <summary>Registers a destination type named <paramref name="type"/> whose connectors all use this store.</summary>
    public DestinationType Type(string type = "memory", ImmutableArray<IdentifierType> identifiers = default) =>
        new(type, "In-memory test destination", [SettingSpec.Text("label", "free text")], Descriptor.Operations, (_, _, _) => ValueTask.FromResult(Open()))
        {
            AcceptsAnyIdentifier = identifiers.IsDefaultOrEmpty,
            Identifiers = identifiers.IsDefault ? [] : identifiers,
        };

    private async Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        int number;
        lock (_gate)
        {
            _requests.Add(batch);
            number = _requests.Count;
        }
        if (BeforeRequest is { } before) await before(batch, number).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Records.Length > Descriptor.MaxRecordsPerBatch)
            throw new DestinationException($"Batch of {batch.Records.Length} is over the limit of {Descriptor.MaxRecordsPerBatch}.", DestinationErrorClass.Permanent, 413);
        if (PoisonsBatch is { } poison && batch.Records.Any(poison))
            throw new DestinationException("The request holds an unacceptable record.", DestinationErrorClass.Permanent, 400);
        var results = ImmutableArray.CreateBuilder<RecordResult>(batch.Records.Length);
        lock (_gate)
        {
            foreach (var record in batch.Records)
            {
                if (PerRecord?.Invoke(record) is { Outcome: not RecordOutcome.Succeeded } overridden)
                {
                    results.Add(overridden);
                    continue;
                }
                if (Descriptor.CommitOnComplete)
                {
                    _staged.Add((batch.Operation, record));
                    results.Add(RecordResult.Ok(record.Key));
                    continue;
                }
                results.Add(Apply(batch.Operation, record));
            }
        }
        return new BatchResult(results.ToImmutable());
    }

    private RecordResult Apply(BatchOperation operation, OutboundRecord record)
    {
        _applied.Add((operation, record.Key));
        switch (operation)
        {
            case BatchOperation.Add or BatchOperation.Upsert:
                _records[record.Key] = record.Fields;
                _identifiers[record.Key] = record.Identifiers;
                _archived.Remove(record.Key);
                break;
            case BatchOperation.Insert:
                if (!_records.ContainsKey(record.Key))
                {
                    _records[record.Key] = record.Fields;
                    _identifiers[record.Key] = record.Identifiers;
                }
                break;
            case BatchOperation.Update:
                if (!_records.ContainsKey(record.Key)) return new RecordResult(record.Key, RecordOutcome.Rejected, "no such record");
                _records[record.Key] = record.Fields;
                _identifiers[record.Key] = record.Identifiers;
                break;
            case BatchOperation.Remove or BatchOperation.Delete:
                _records.Remove(record.Key);
                _identifiers.Remove(record.Key);
                break;
            case BatchOperation.Archive:
                if (_records.Remove(record.Key)) _archived.Add(record.Key);
                _identifiers.Remove(record.Key);
                break;
        }
        return RecordResult.Ok(record.Key);
    }

    private Task CompleteAsync()
    {
        if (FailComplete is { } failure) throw failure;
        lock (_gate)
        {
            foreach (var (operation, record) in _staged) Apply(operation, record);
            _staged = [];
        }
        return Task.CompletedTask;
    }

    private void Abandon()
    {
        lock (_gate) _staged = [];
    }

    /// <summary>Puts a record in place as if an earlier sync had sent it (for update-only tests).</summary>
    public void Seed(string key, ImmutableDictionary<string, object?>? fields = null)
    {
        lock (_gate) _records[key] = fields ?? ImmutableDictionary<string, object?>.Empty;
    }

    private sealed class MemoryDestination(MemoryDestinationStore store) : IDestination
    {
        private bool _completed;

        public DestinationDescriptor Descriptor => store.Descriptor;

        public Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken) => store.SendAsync(batch, cancellationToken);

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await store.CompleteAsync().ConfigureAwait(false);
            _completed = true;
        }

        public ValueTask DisposeAsync()
        {
            // Like a file that was never published: what a run staged without completing is lost.
            if (!_completed && store.Descriptor.CommitOnComplete) store.Abandon();
            return ValueTask.CompletedTask;
        }
    }
}
