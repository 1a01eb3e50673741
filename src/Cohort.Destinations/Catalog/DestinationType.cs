using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Catalog;

/// <summary>A field a sync sends, in mapping order, with its logical type when the engine knows it.</summary>
public sealed record OutputField(string Name, DataType? Type);

/// <summary>
/// What a destination is created for: one run of one sync. Connectors that write files or tables use the field
/// list (names and types) to lay out columns before the first batch arrives.
/// </summary>
public sealed record DestinationContext(string DestinationName, string SyncName, long RunId, TimeProvider Time)
{
    /// <summary>The mapped fields, in mapping order.</summary>
    public ImmutableArray<OutputField> Fields { get; init; } = [];

    /// <summary>The identifier kinds the sync sends.</summary>
    public ImmutableArray<IdentifierType> Identifiers { get; init; } = [];

    /// <summary>The folder relative paths in settings are resolved against (the project folder); null for the current folder.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The operations this run may send (from the sync's mode).</summary>
    public ImmutableArray<BatchOperation> Operations { get; init; } = [];
}

/// <summary>
/// The documented limits of a destination type with default settings, as its connectors' descriptors declare them: records
/// (and approximate payload bytes) per request, requests per second, requests in flight, and whether records are durable
/// only on completion. For catalogs, pickers and docs; the engine reads the created connector's descriptor.
/// </summary>
public sealed record DestinationLimits(int MaxRecordsPerBatch, long? MaxBytesPerBatch = null, double? RequestsPerSecond = null, int MaxConcurrentRequests = 1,
    bool CommitOnComplete = false);

/// <summary>Creates a connector for one run from its resolved settings.</summary>
public delegate ValueTask<IDestination> DestinationFactory(DestinationSettings settings, DestinationContext context, CancellationToken cancellationToken);

/// <summary>
/// A kind of destination the catalog can create: its name (the <c>type:</c> of a destination file), the settings it
/// takes, the operations and identifiers it supports (checked against syncs before anything runs), and its factory.
/// Platform connectors register one of these each.
/// </summary>
public sealed record DestinationType(
    string Name,
    string Description,
    ImmutableArray<SettingSpec> Settings,
    ImmutableArray<BatchOperation> Operations,
    DestinationFactory Create)
{
    /// <summary>Identifier kinds the type accepts; empty means it takes none (fields only) or any (see <see cref="AcceptsAnyIdentifier"/>).</summary>
    public ImmutableArray<IdentifierType> Identifiers { get; init; } = [];

    /// <summary>True for generic destinations (webhook, files) that pass every identifier through as data.</summary>
    public bool AcceptsAnyIdentifier { get; init; }

    /// <summary>The type's limits with default settings (null when they are all settings, e.g. a webhook's).</summary>
    public DestinationLimits? Limits { get; init; }

    /// <summary>Extra checks beyond the setting specs (e.g. settings that exclude each other), reported as diagnostics.</summary>
    public Action<DestinationDefinition, DiagnosticBag>? Validate { get; init; }

    /// <summary>
    /// The operations a particular definition offers, when they depend on its settings (a platform offers add/remove only
    /// with a list configured); null: always <see cref="Operations"/>.
    /// </summary>
    public Func<DestinationDefinition, ImmutableArray<BatchOperation>>? OperationsFor { get; init; }

    /// <summary>The identifier kinds a particular definition accepts, when they depend on its settings; null: always <see cref="Identifiers"/>.</summary>
    public Func<DestinationDefinition, ImmutableArray<IdentifierType>>? IdentifiersFor { get; init; }

    /// <summary>
    /// The identifier profile a definition normalises with (the same the connector sends with), for match-rate reports
    /// computed without opening the destination (no secrets needed); null when the type normalises nothing.
    /// </summary>
    public Func<DestinationDefinition, IdentifierProfile?>? ProfileFor { get; init; }

    /// <summary>What to set so that an operation the definition lacks is offered (e.g. "set list_id"), for COH504; null when nothing would.</summary>
    public Func<BatchOperation, string?>? OperationHint { get; init; }

    /// <summary>The operations <paramref name="definition"/> offers.</summary>
    public ImmutableArray<BatchOperation> OperationsOf(DestinationDefinition definition) => OperationsFor?.Invoke(definition) ?? Operations;

    /// <summary>The identifier kinds <paramref name="definition"/> accepts.</summary>
    public ImmutableArray<IdentifierType> IdentifiersOf(DestinationDefinition definition) => IdentifiersFor?.Invoke(definition) ?? Identifiers;

    /// <summary>The identifier profile of <paramref name="definition"/>, or null.</summary>
    public IdentifierProfile? ProfileOf(DestinationDefinition definition) => ProfileFor?.Invoke(definition);
}
