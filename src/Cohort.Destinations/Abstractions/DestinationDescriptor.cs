using System.Collections.Immutable;

namespace Cohort.Destinations.Abstractions;

/// <summary>
/// The declarative side of a destination: what it accepts and how fast, as documented by the platform
/// (see docs/destinations.md). The sync engine sizes batches and paces requests from this.
/// </summary>
public sealed record DestinationDescriptor(
    string Type,
    ImmutableArray<BatchOperation> Operations,
    int MaxRecordsPerBatch,
    long? MaxBytesPerBatch = null,
    double? RequestsPerSecond = null,
    int MaxConcurrentRequests = 1,
    ImmutableArray<IdentifierType> Identifiers = default,
    ImmutableArray<DestinationField> Fields = default)
{
    public ImmutableArray<IdentifierType> Identifiers { get; init; } = Identifiers.IsDefault ? [] : Identifiers;

    public ImmutableArray<DestinationField> Fields { get; init; } = Fields.IsDefault ? [] : Fields;

    /// <summary>
    /// True when records are durable only once <see cref="IDestination.CompleteAsync"/> has succeeded (a file published at
    /// the end of a run, a platform job that must be started): the engine then commits a run's confirmed records only after
    /// completion. False (the default) lets the engine commit after every batch.
    /// </summary>
    public bool CommitOnComplete { get; init; }
}

/// <summary>A field the destination knows (for mapping pickers and validation); free-form destinations list none.</summary>
public sealed record DestinationField(string Name, string Type, bool Required = false, string? Description = null);
