using System.Collections.Immutable;

namespace Cohort.Destinations.Abstractions;

/// <summary>What the destination is asked to do with every record of a batch.</summary>
public enum BatchOperation
{
    /// <summary>Add to an audience / list (membership destinations).</summary>
    Add,
    /// <summary>Remove from an audience / list.</summary>
    Remove,
    /// <summary>Create or update a record by key.</summary>
    Upsert,
    /// <summary>Update an existing record only; a missing record is a rejection.</summary>
    Update,
    /// <summary>Create a record only; an existing record is left alone (success).</summary>
    Insert,
    /// <summary>Delete (or archive, where the destination archives) a record by key.</summary>
    Delete,
    /// <summary>Archive (soft-delete) a record by key: a sync's <c>on_exit: archive</c>. Destinations that cannot archive do not list it.</summary>
    Archive,
}

/// <summary>The identifier kinds a record can carry, raw (the destination normalises and hashes as its platform requires).</summary>
public enum IdentifierType
{
    Email,
    Phone,
    FirstName,
    LastName,
    DateOfBirth,
    Gender,
    City,
    State,
    ZipCode,
    Country,
    MobileAdvertisingId,
    ExternalId,
}

/// <summary>
/// One row to send: the sync key, the mapped fields (destination field name -> value), and the raw identifiers.
/// </summary>
public sealed record OutboundRecord(
    string Key,
    ImmutableDictionary<string, object?> Fields,
    ImmutableDictionary<IdentifierType, string> Identifiers)
{
    public static OutboundRecord Of(string key) =>
        new(key, ImmutableDictionary<string, object?>.Empty, ImmutableDictionary<IdentifierType, string>.Empty);
}

public sealed record DestinationBatch(BatchOperation Operation, ImmutableArray<OutboundRecord> Records);
