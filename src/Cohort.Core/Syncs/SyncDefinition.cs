using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Syncs;

/// <summary>What a sync keeps a destination in step with (docs/sync.md, "Modes").</summary>
public enum SyncMode
{
    /// <summary>Add entering members to a list or audience and remove exiting ones.</summary>
    Membership,
    /// <summary>Create or update a record per member; what happens on exit is <see cref="ExitAction"/>.</summary>
    Upsert,
    /// <summary>Update existing records only; a record the destination does not hold is a rejection.</summary>
    Update,
    /// <summary>Create records only; changes to records already sent are not sent.</summary>
    Insert,
    /// <summary>The destination holds exactly the members: create, update, and delete on exit.</summary>
    Mirror,
}

/// <summary>What is done with a record when its row leaves the result (upsert, update and insert modes).</summary>
public enum ExitAction
{
    /// <summary>Leave the record in the destination.</summary>
    Keep,
    /// <summary>Delete the record.</summary>
    Delete,
    /// <summary>Archive (soft-delete) the record, where the destination can.</summary>
    Archive,
}

/// <summary>Where a mapped value comes from: a column of the parent model or a trait computed for it.</summary>
public enum ValueSourceKind
{
    Column,
    Trait,
    /// <summary>Written as a plain name: a column of that name, or else a trait. Validation resolves it; bound syncs never hold it.</summary>
    Auto,
}

public sealed record ValueSource(ValueSourceKind Kind, string Name)
{
    public override string ToString() => Kind == ValueSourceKind.Trait ? $"trait '{Name}'" : $"column '{Name}'";
}

/// <summary>A destination field filled from a column or trait.</summary>
public sealed record FieldMapping(string Field, ValueSource Source);

/// <summary>
/// An identifier sent with every record (for matching in ad platforms and CRMs), from a column or trait.
/// <see cref="Type"/> is one of <see cref="IdentifierNames.All"/> (email, phone, ...).
/// </summary>
public sealed record IdentifierMapping(string Type, ValueSource Source);

/// <summary>The rows a sync sends: the members of an audience, or the rows of a parent model (optionally filtered).</summary>
public abstract record SyncSource
{
    private SyncSource() { }

    public abstract string Describe();

    /// <summary>The members of a project audience.</summary>
    public sealed record Audience(string Name) : SyncSource
    {
        public override string Describe() => $"audience '{Name}'";
    }

    /// <summary>Every row of a parent model, or those matching <see cref="Filter"/> (a condition, bound once validated).</summary>
    public sealed record Model(string Name, Condition? Filter) : SyncSource
    {
        public override string Describe() => Filter is null ? $"model '{Name}'" : $"model '{Name}' (filtered)";
    }
}

/// <summary>
/// When the server's scheduler runs the sync (no schedule: only when asked): <see cref="Every"/> is an interval such
/// as "1 hour", <see cref="Cron"/> a 5-field cron expression evaluated in <see cref="TimeZone"/> (an IANA zone; the
/// project's when null). The CLI runs syncs only when asked; the server checks the interval and the cron expression.
/// </summary>
public sealed record SyncSchedule(string? Every, string? Cron, string? TimeZone = null);

/// <summary>
/// One sync (docs/sync.md): a source, a destination by name, a mode, the key, the field and identifier
/// mappings, suppression audiences and an optional split group. Read from <c>syncs/*.yaml</c>.
/// </summary>
public sealed record SyncDefinition(
    string Name,
    SyncSource Source,
    string Destination,
    SyncMode Mode,
    ExitAction OnExit = ExitAction.Keep,
    string? Key = null,
    ImmutableArray<FieldMapping> Fields = default,
    ImmutableArray<IdentifierMapping> Identifiers = default,
    ImmutableArray<string> Exclusions = default,
    string? SplitGroup = null,
    SyncSchedule? Schedule = null,
    string? Description = null,
    SourceLocation? Location = null)
{
    public ImmutableArray<FieldMapping> Fields { get; init; } = Fields.IsDefault ? [] : Fields;
    public ImmutableArray<IdentifierMapping> Identifiers { get; init; } = Identifiers.IsDefault ? [] : Identifiers;
    public ImmutableArray<string> Exclusions { get; init; } = Exclusions.IsDefault ? [] : Exclusions;

    /// <summary>The exit action in force: mirror deletes, membership removes (reported as <see cref="ExitAction.Delete"/>).</summary>
    public ExitAction EffectiveExit => Mode switch
    {
        SyncMode.Mirror or SyncMode.Membership => ExitAction.Delete,
        _ => OnExit,
    };
}

/// <summary>The identifier kinds a sync can send, as written in sync files (snake case).</summary>
public static class IdentifierNames
{
    public static ImmutableArray<string> All { get; } =
    [
        "email", "phone", "first_name", "last_name", "date_of_birth", "gender", "city", "state", "zip_code", "country",
        "mobile_advertising_id", "external_id",
    ];
}
