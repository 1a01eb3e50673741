using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Testing.Platforms;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Destinations.Tests.Platforms;

/// <summary>
/// One platform under test: its fake server and how to build its connector against it. The shared fault and limit
/// tests (<see cref="SharedConnectorTests"/>) run over every case; each platform's own test class adds the rest.
/// </summary>
public abstract class PlatformCase : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    public abstract FakePlatformServer Server { get; }

    /// <summary>The operation whose request the shared tests send (Add or Upsert).</summary>
    public virtual BatchOperation Operation => BatchOperation.Add;

    /// <summary>The path fragment of the request that carries the records (faults are injected there).</summary>
    public abstract string DataPath { get; }

    public abstract IDestination Create(HttpClient http, bool wrongCredentials = false);

    public IDestination Create(bool wrongCredentials = false) => Create(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, wrongCredentials);

    /// <summary>A valid record number <paramref name="i"/> for this platform.</summary>
    public virtual OutboundRecord Record(int i) =>
        Rec("k" + i, (IdentifierType.Email, $"person{i}@example.com"), (IdentifierType.ExternalId, "crm-" + i));

    /// <summary>A record this platform cannot use (no identifier it matches on).</summary>
    public virtual OutboundRecord Unusable(string key) => Rec(key, (IdentifierType.Email, "not an email"));

    /// <summary>Runs what must run before a change is visible (Google Ads jobs).</summary>
    public virtual Task CompleteAsync(IDestination destination) => destination.CompleteAsync(CancellationToken.None);

    public static OutboundRecord Rec(string key, params (IdentifierType Type, string Value)[] ids) =>
        OutboundRecord.Of(key) with { Identifiers = ids.ToImmutableDictionary(i => i.Type, i => i.Value) };

    public static OutboundRecord WithFields(OutboundRecord record, params (string Name, object? Value)[] fields) =>
        record with { Fields = fields.ToImmutableDictionary(f => f.Name, f => f.Value) };

    public static DestinationBatch Batch(BatchOperation operation, params OutboundRecord[] records) => new(operation, [.. records]);

    public async Task StartAsync() => await Server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
