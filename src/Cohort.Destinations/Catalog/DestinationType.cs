using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Configuration;

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

    /// <summary>Extra checks beyond the setting specs (e.g. settings that exclude each other), reported as diagnostics.</summary>
    public Action<DestinationDefinition, DiagnosticBag>? Validate { get; init; }
}
