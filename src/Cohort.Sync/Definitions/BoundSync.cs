using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;

namespace Cohort.Sync.Definitions;

public enum PayloadSection
{
    Field,
    Identifier,
}

/// <summary>One value of the payload: a destination field or an identifier, where it comes from, and its type.</summary>
public sealed record PayloadItem(PayloadSection Section, string Name, ValueSource Source, DataType? Type)
{
    public IdentifierType? Identifier { get; init; }
}

/// <summary>
/// A sync ready to plan and run: its definition, its destination and the destination's type, the query that selects
/// its rows (an audience compiled as "members of the source, minus exclusions"), its key and its payload layout.
/// Built by <see cref="SyncProject"/> from a validated project.
/// </summary>
public sealed record BoundSync(
    SyncDefinition Definition,
    DestinationDefinition Destination,
    DestinationType DestinationType,
    AudienceDefinition Query,
    ModelDefinition Model,
    string KeyColumn,
    DataType KeyType,
    ImmutableArray<PayloadItem> Payload)
{
    public string Name => Definition.Name;

    public SyncMode Mode => Definition.Mode;

    public IEnumerable<PayloadItem> Fields => Payload.Where(p => p.Section == PayloadSection.Field);

    public IEnumerable<PayloadItem> Identifiers => Payload.Where(p => p.Section == PayloadSection.Identifier);

    /// <summary>The destination's identity; a change of it starts the sync afresh (docs/sync.md).</summary>
    public string Fingerprint => $"{Destination.Name}|{Destination.Type}|{KeyColumn}";

    /// <summary>What is sent for an entering row, a changed row and an exiting row; null means nothing is sent (the row is skipped).</summary>
    public (BatchOperation? Added, BatchOperation? Changed, BatchOperation? Removed) Operations => Modes.For(Definition);

    /// <summary>Every operation the sync may send.</summary>
    public ImmutableArray<BatchOperation> AllOperations
    {
        get
        {
            var (added, changed, removed) = Operations;
            return [.. new[] { added, changed, removed }.OfType<BatchOperation>().Distinct()];
        }
    }
}

/// <summary>The table of docs/sync.md ("Modes"): which operation each kind of change becomes.</summary>
public static class Modes
{
    public static (BatchOperation? Added, BatchOperation? Changed, BatchOperation? Removed) For(SyncDefinition sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        BatchOperation? exit = sync.EffectiveExit switch
        {
            ExitAction.Delete => BatchOperation.Delete,
            ExitAction.Archive => BatchOperation.Archive,
            _ => null,
        };
        return sync.Mode switch
        {
            SyncMode.Membership => (BatchOperation.Add, BatchOperation.Add, BatchOperation.Remove),
            SyncMode.Upsert => (BatchOperation.Upsert, BatchOperation.Upsert, exit),
            SyncMode.Update => (BatchOperation.Update, BatchOperation.Update, exit),
            SyncMode.Insert => (BatchOperation.Insert, null, exit),
            SyncMode.Mirror => (BatchOperation.Upsert, BatchOperation.Upsert, BatchOperation.Delete),
            _ => throw new ArgumentOutOfRangeException(nameof(sync), sync.Mode, null),
        };
    }
}
