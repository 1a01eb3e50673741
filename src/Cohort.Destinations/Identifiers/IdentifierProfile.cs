using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Identifiers;

/// <summary>
/// How one identifier kind is prepared for a platform: a normalisation, then an encoding. When
/// <see cref="AcceptPrehashed"/> is set, a value that is already a digest of the encoding's kind passes through
/// (in the platform's exact form) instead of being normalised and hashed again.
/// </summary>
public sealed record IdentifierRule(IdentifierNormalization Normalization, HashEncoding Encoding = HashEncoding.None, bool AcceptPrehashed = true);

/// <summary>
/// A declarative, per-platform description of the identifiers it takes and how each is normalised and encoded.
/// <see cref="MatchKeys"/> lists the identifier combinations the platform can match a person on (a record is usable
/// when it has every identifier of at least one key); by default each identifier alone is a key.
/// </summary>
public sealed record IdentifierProfile
{
    public IdentifierProfile(string name, ImmutableDictionary<IdentifierType, IdentifierRule> rules, ImmutableArray<ImmutableArray<IdentifierType>> matchKeys = default)
    {
        Name = name;
        Rules = rules;
        MatchKeys = matchKeys.IsDefaultOrEmpty ? [.. rules.Keys.OrderBy(k => k).Select(k => ImmutableArray.Create(k))] : matchKeys;
    }

    public string Name { get; init; }

    public ImmutableDictionary<IdentifierType, IdentifierRule> Rules { get; init; }

    public ImmutableArray<ImmutableArray<IdentifierType>> MatchKeys { get; init; }

    /// <summary>The identifier kinds in a stable order (for descriptors and reports).</summary>
    public ImmutableArray<IdentifierType> Types => [.. Rules.Keys.OrderBy(k => k)];

    public IdentifierProfile WithRule(IdentifierType type, IdentifierRule rule) => this with { Rules = Rules.SetItem(type, rule) };

    /// <summary>Drops an identifier kind (and every match key that needs it).</summary>
    public IdentifierProfile Without(IdentifierType type) => this with
    {
        Rules = Rules.Remove(type),
        MatchKeys = [.. MatchKeys.Where(k => !k.Contains(type))],
    };

    /// <summary>Reads phone numbers that have no country code in <paramref name="region"/> (ISO 3166-1 alpha-2).</summary>
    public IdentifierProfile WithDefaultPhoneRegion(string region)
    {
        if (!Rules.TryGetValue(IdentifierType.Phone, out var rule) || rule.Normalization is not PhoneNormalization phone) return this;
        return WithRule(IdentifierType.Phone, rule with { Normalization = phone with { DefaultRegion = region } });
    }

    public NormalizedRecord Normalize(OutboundRecord record) => Normalize(record.Identifiers);

    public NormalizedRecord Normalize(IReadOnlyDictionary<IdentifierType, string> raw)
    {
        var values = ImmutableDictionary.CreateBuilder<IdentifierType, NormalizedIdentifier>();
        var issues = ImmutableArray.CreateBuilder<IdentifierIssue>();
        foreach (var (type, rule) in Rules.OrderBy(r => r.Key))
        {
            if (!raw.TryGetValue(type, out var input) || string.IsNullOrWhiteSpace(input)) continue;
            if (rule.Encoding != HashEncoding.None && rule.AcceptPrehashed && IdentifierHasher.TryRecognizeDigest(input, rule.Encoding, out var digest))
            {
                values[type] = new NormalizedIdentifier(type, digest, digest, WasPrehashed: true);
                continue;
            }
            var result = rule.Normalization.Apply(input);
            if (!result.IsValid)
            {
                issues.Add(new IdentifierIssue(type, result.Error!));
                continue;
            }
            values[type] = new NormalizedIdentifier(type, result.Value!, IdentifierHasher.Encode(result.Value!, rule.Encoding), WasPrehashed: false);
        }
        var identifiers = values.ToImmutable();
        var usable = MatchKeys.Any(key => key.All(identifiers.ContainsKey));
        return new NormalizedRecord(identifiers, issues.ToImmutable(), usable, usable ? null : UnusableReason(identifiers, issues));
    }

    private string UnusableReason(ImmutableDictionary<IdentifierType, NormalizedIdentifier> identifiers, ImmutableArray<IdentifierIssue>.Builder issues)
    {
        var parts = new List<string>();
        if (issues.Count > 0) parts.AddRange(issues.Select(i => i.Reason));
        if (identifiers.Count > 0)
        {
            var keys = string.Join(" or ", MatchKeys.Where(k => k.Length > 1 && k.Any(identifiers.ContainsKey)).Select(k => string.Join("+", k)));
            parts.Add(keys.Length > 0 ? "incomplete identifiers (needs " + keys + ")" : "no identifier this destination matches on");
        }
        else if (issues.Count == 0)
        {
            parts.Add("no identifier this destination matches on (accepts " + string.Join(", ", Types) + ")");
        }
        return "no usable identifier: " + string.Join("; ", parts);
    }
}

/// <summary>One identifier after normalisation: the normalised text (or the digest it arrived as) and the value to send.</summary>
public sealed record NormalizedIdentifier(IdentifierType Type, string Normalized, string Value, bool WasPrehashed);

/// <summary>Why one identifier of a record was dropped (never contains the value).</summary>
public sealed record IdentifierIssue(IdentifierType Type, string Reason);

/// <summary>A record's identifiers prepared for one platform, with the ones that were dropped and why.</summary>
public sealed record NormalizedRecord(
    ImmutableDictionary<IdentifierType, NormalizedIdentifier> Identifiers,
    ImmutableArray<IdentifierIssue> Issues,
    bool IsUsable,
    string? UnusableReason)
{
    public string? this[IdentifierType type] => Identifiers.TryGetValue(type, out var id) ? id.Value : null;

    public bool Has(IdentifierType type) => Identifiers.ContainsKey(type);
}
