using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Identifiers;

/// <summary>
/// Implemented by destinations that normalise identifiers, so the engine can build the match-rate report of a sync
/// with the same rules the destination sends with.
/// </summary>
public interface IIdentifierProfileSource
{
    IdentifierProfile? IdentifierProfile { get; }
}

/// <summary>Per identifier kind: how many records carried it, how many were usable after normalisation, how many invalid.</summary>
public sealed record IdentifierMatchStats(IdentifierType Type, int Present, int Usable, int Invalid, int Records)
{
    /// <summary>Share of all records that have this identifier in usable form.</summary>
    public double UsableShare => Records == 0 ? 0 : (double)Usable / Records;
}

/// <summary>
/// The match-rate report of one sync against one platform profile: the share of records having each identifier
/// after normalisation, and the records that have no usable identifier (Invalid), counted by reason.
/// </summary>
public sealed record MatchRateReport(
    int Records,
    int Usable,
    int Invalid,
    ImmutableArray<IdentifierMatchStats> ByIdentifier,
    ImmutableDictionary<string, int> InvalidReasons)
{
    public double UsableShare => Records == 0 ? 0 : (double)Usable / Records;

    public double InvalidShare => Records == 0 ? 0 : (double)Invalid / Records;

    public static MatchRateReport Compute(IEnumerable<OutboundRecord> records, IdentifierProfile profile)
    {
        var accumulator = new MatchRateAccumulator(profile);
        foreach (var record in records) accumulator.Add(record);
        return accumulator.ToReport();
    }
}

/// <summary>Builds a <see cref="MatchRateReport"/> page by page (the engine streams records; nothing is kept but counters).</summary>
public sealed class MatchRateAccumulator(IdentifierProfile profile)
{
    private readonly Dictionary<IdentifierType, (int Present, int Usable, int Invalid)> _counts =
        profile.Types.ToDictionary(t => t, _ => (0, 0, 0));
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private int _records;
    private int _usable;

    public IdentifierProfile Profile { get; } = profile;

    public NormalizedRecord Add(OutboundRecord record)
    {
        var normalized = Profile.Normalize(record);
        Add(record, normalized);
        return normalized;
    }

    public void Add(OutboundRecord record, NormalizedRecord normalized)
    {
        _records++;
        if (normalized.IsUsable) _usable++;
        else
        {
            var reason = normalized.UnusableReason ?? "no usable identifier";
            _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
        }
        foreach (var type in Profile.Types)
        {
            if (!record.Identifiers.TryGetValue(type, out var raw) || string.IsNullOrWhiteSpace(raw)) continue;
            var (present, usable, invalid) = _counts[type];
            _counts[type] = normalized.Has(type) ? (present + 1, usable + 1, invalid) : (present + 1, usable, invalid + 1);
        }
    }

    public MatchRateReport ToReport() => new(
        _records,
        _usable,
        _records - _usable,
        [.. Profile.Types.Select(t => new IdentifierMatchStats(t, _counts[t].Present, _counts[t].Usable, _counts[t].Invalid, _records))],
        _reasons.ToImmutableDictionary(StringComparer.Ordinal));
}
