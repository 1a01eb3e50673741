using System.Collections.Immutable;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Identity;

/// <summary>The kinds of identifier identity resolution knows; each has its own normalisation (docs/identity.md).</summary>
public enum IdentifierType
{
    /// <summary>Trimmed and lowercased; optionally Gmail dots and +tags removed.</summary>
    Email,
    /// <summary>E.164 (<c>+14155550123</c>), national numbers read in the default region.</summary>
    Phone,
    /// <summary>An account id written by the system that owns accounts; trimmed, case kept.</summary>
    UserId,
    /// <summary>A browser or anonymous visitor id; trimmed, lowercased.</summary>
    AnonymousId,
    /// <summary>A device id (IDFA, GAID, install device); trimmed, lowercased.</summary>
    DeviceId,
    /// <summary>Any other identifier; trimmed, case kept.</summary>
    Custom,
}

/// <summary>
/// One identifier the rules name (e.g. <c>email</c>): its type, normalisation options, blocked values and patterns,
/// and the most distinct values one profile may hold (<see cref="Limit"/>, null for no limit).
/// </summary>
public sealed record IdentifierDefinition(
    string Name,
    IdentifierType Type,
    int? Limit,
    ImmutableArray<string> Blocked,
    ImmutableArray<string> BlockedPatterns,
    bool Gmail = false,
    bool StripPlus = false,
    string? DefaultRegion = null,
    SourceLocation? Location = null)
{
    /// <summary>The SQL name of the type, as stored in the identity tables.</summary>
    public string TypeName => IdentityRules.TypeNames[Type];
}

/// <summary>
/// A model or table whose rows are identity records: each row is one record keyed by <see cref="Key"/>, and each
/// column in <see cref="Columns"/> contributes values of one identifier.
/// </summary>
public sealed record IdentitySource(
    string Name,
    string? Model,
    string Table,
    string Key,
    ImmutableArray<IdentityColumn> Columns,
    string? Timestamp = null,
    SourceLocation? Location = null)
{
    /// <summary>A source read from a warehouse table directly (checked against the warehouse when it runs).</summary>
    public bool IsTable => Model is null;
}

/// <summary>How a profile attribute chooses one value among a cohort's records (docs/identity.md, "Golden records").</summary>
public enum Survivorship
{
    /// <summary>The value of the most recently updated record (by each source's <c>timestamp</c>).</summary>
    MostRecent,
    /// <summary>The value most records carry; ties go to the most recent.</summary>
    MostFrequent,
    /// <summary>The first non-null value in the order the sources are listed (then the most recent).</summary>
    FirstNonNull,
}

/// <summary>A column of the golden record: where its values come from and how one survives.</summary>
public sealed record ProfileAttribute(string Name, Survivorship Rule, ImmutableArray<(string Source, string Column)> From, SourceLocation? Location = null);

/// <summary>A column of a source and the identifier its values are.</summary>
public sealed record IdentityColumn(string Column, string Identifier, SourceLocation? Location = null);

/// <summary>
/// The identity rules of a project (<c>identity.yaml</c>, docs/identity.md): the identifiers, the sources that
/// contribute them, global blocked values and patterns, the priority order used when a limit is exceeded, and
/// the largest profile allowed.
/// </summary>
public sealed record IdentityRules(
    ImmutableArray<IdentifierDefinition> Identifiers,
    ImmutableArray<IdentitySource> Sources,
    ImmutableArray<string> Priority,
    ImmutableArray<string> Blocked,
    ImmutableArray<string> BlockedPatterns,
    int MaxProfileSize,
    SourceLocation? Location = null)
{
    /// <summary>The golden record's attributes (<c>profile:</c>); empty for no profile table.</summary>
    public ImmutableArray<ProfileAttribute> Profile { get; init; } = [];

    /// <summary>The probabilistic rule set (<c>matching:</c>); null for deterministic rules only.</summary>
    public MatchingRules? Matching { get; init; }

    public const string FileName = "identity.yaml";
    public const int DefaultMaxProfileSize = 1000;

    public static readonly ImmutableDictionary<IdentifierType, string> TypeNames = new Dictionary<IdentifierType, string>
    {
        [IdentifierType.Email] = "email",
        [IdentifierType.Phone] = "phone",
        [IdentifierType.UserId] = "user_id",
        [IdentifierType.AnonymousId] = "anonymous_id",
        [IdentifierType.DeviceId] = "device_id",
        [IdentifierType.Custom] = "custom",
    }.ToImmutableDictionary();

    public IdentifierDefinition? FindIdentifier(string name) => Identifiers.FirstOrDefault(i => i.Name == name);

    public IdentitySource? FindSource(string name) => Sources.FirstOrDefault(s => s.Name == name);

    /// <summary>1 for the highest priority identifier; identifiers not listed come after, in the order written.</summary>
    public int PriorityOf(string identifier)
    {
        var index = Priority.IndexOf(identifier);
        if (index >= 0) return index + 1;
        var rest = Identifiers.Select(i => i.Name).Where(n => !Priority.Contains(n)).ToList();
        return Priority.Length + rest.IndexOf(identifier) + 1;
    }
}
