using Cohort.Core.Privacy;
using Cohort.Identity;
using Cohort.Server.Projects;
using Cohort.Server.Security;

namespace Cohort.Server.Services;

public sealed record IdentityRecordDto(string Source, string Key);

public sealed record IdentityLinkRecordDto(string Source, string Key, string Column);

public sealed record IdentityLinkDto(string Identifier, string Value, IReadOnlyList<IdentityLinkRecordDto> Records, string Rule);

public sealed record IdentityOccurrenceDto(string Source, string Key, string Identifier, string Column, string? Value, string Status, string? Reason);

/// <summary>What one field said about a scored pair: its comparison level and the weight (log2 m/u) it added.</summary>
public sealed record IdentityFieldEvidenceDto(string Field, string Level, double Weight);

/// <summary>
/// A probabilistic match between two records: probability, match weight (log2 odds), each field's evidence and the
/// term-frequency adjustment. Field levels and weights only, never the compared values, so nothing here is PII.
/// </summary>
public sealed record IdentityMatchDto(IdentityRecordDto A, IdentityRecordDto B, double Probability, double Weight, string Status, string? Reason,
    IReadOnlyList<IdentityFieldEvidenceDto> Fields, double TermFrequencyAdjustment, string Description)
{
    internal static IdentityMatchDto From(MatchLink m) => new(new(m.A.Source, m.A.Key), new(m.B.Source, m.B.Key), m.Probability, m.Weight, m.Status, m.Reason,
        [.. m.Fields.Select(f => new IdentityFieldEvidenceDto(f.Field, f.Level, f.Weight))], m.TermFrequencyAdjustment, m.Describe());
}

/// <summary>Why a cohort's records are one profile. <see cref="Masked"/> says whether identifier values were masked.</summary>
public sealed record IdentityExplanationDto(string CohortId, bool Masked, IReadOnlyList<IdentityRecordDto> Records,
    IReadOnlyList<IdentityLinkDto> Links, IReadOnlyList<IdentityOccurrenceDto> Occurrences, IReadOnlyList<IdentityMatchDto> Matches);

/// <summary>
/// One hop between two records: the shared identifier value (masked without PII access) or, for identifier
/// <c>probabilistic</c>, the scored pair's description; its status and, when set aside, why.
/// </summary>
public sealed record IdentityPathStepDto(IdentityRecordDto From, string FromColumn, IdentityRecordDto To, string ToColumn,
    string Identifier, string Value, string Status, string? Reason);

/// <summary>
/// Why two records are one profile (the shortest path of linked values) or apart (the path that would have joined them,
/// with the hops set aside; null when nothing connects them).
/// </summary>
public sealed record IdentityWhyDto(IdentityRecordDto A, IdentityRecordDto B, bool Together, string CohortA, string CohortB, bool Masked,
    IReadOnlyList<IdentityPathStepDto>? Path);

public sealed record IdentityRecordCohortDto(string Source, string Key, string CohortId);

/// <summary>Identity resolution has not run in the warehouse (the API answers 404 with this message).</summary>
public sealed class IdentityNotRunException(string schema)
    : Exception($"Identity resolution has not run in this warehouse yet (no identity tables in schema '{schema}'). Run `cohort identity run` first.");

/// <summary>
/// Reads the identity graph from the project's warehouse for the API and the Studio. Identifier values are PII: they
/// are masked (<see cref="PiiMask"/>) for actors without the <see cref="Permission.ViewPii"/> permission.
/// </summary>
public sealed class IdentityService(ProjectState project)
{
    public string StateSchema { get; init; } = IdentityTables.DefaultSchema;

    private async Task<IdentityInspector> InspectorAsync(CancellationToken ct)
    {
        var inspector = new IdentityInspector(await project.WarehouseAsync(ct).ConfigureAwait(false), StateSchema);
        if (!await inspector.HasRunAsync(ct).ConfigureAwait(false)) throw new IdentityNotRunException(StateSchema);
        return inspector;
    }

    public async Task<IdentityExplanationDto> ExplainAsync(Actor actor, string cohortId, CancellationToken ct = default)
    {
        var inspector = await InspectorAsync(ct).ConfigureAwait(false);
        var explanation = await inspector.ExplainAsync(cohortId, ct).ConfigureAwait(false) ?? throw new NotFoundException("identity profile", cohortId);
        var show = actor.CanViewPii;
        string? V(string? v) => v is null || show ? v : PiiMask.Mask(v) as string;
        return new IdentityExplanationDto(explanation.CohortId, !show,
            [.. explanation.Records.Select(r => new IdentityRecordDto(r.Source, r.Key))],
            [.. explanation.Links.Select(l => new IdentityLinkDto(l.Identifier, V(l.Value) ?? "",
                [.. l.Records.Select(r => new IdentityLinkRecordDto(r.Record.Source, r.Record.Key, r.Column))], l.Rule))],
            [.. explanation.Occurrences.Select(o => new IdentityOccurrenceDto(o.Record.Source, o.Record.Key, o.Identifier, o.Column, V(o.Value), o.Status, o.Reason))],
            [.. explanation.Matches.Select(IdentityMatchDto.From)]);
    }

    /// <summary>
    /// Why records <paramref name="a"/> and <paramref name="b"/> (each <c>source:key</c>) are together or apart.
    /// A malformed record is a <see cref="RequestException"/>; one not in the graph a <see cref="NotFoundException"/>.
    /// </summary>
    public async Task<IdentityWhyDto> WhyAsync(Actor actor, string? a, string? b, CancellationToken ct = default)
    {
        var recordA = Parse(a, "a");
        var recordB = Parse(b, "b");
        var inspector = await InspectorAsync(ct).ConfigureAwait(false);
        foreach (var record in new[] { recordA, recordB })
        {
            if (await inspector.CohortOfAsync(record, ct).ConfigureAwait(false) is null) throw new NotFoundException("identity record", record.ToString());
        }
        var answer = await inspector.WhyAsync(recordA, recordB, ct).ConfigureAwait(false) ?? throw new NotFoundException("identity record", $"{recordA} or {recordB}");
        var show = actor.CanViewPii;
        // A probabilistic hop's value describes the scored pair (records, probability, weight): not personal data.
        string V(PathStep s) => show || s.Identifier == MatchLink.Identifier ? s.Value : PiiMask.Mask(s.Value) as string ?? "";
        return new IdentityWhyDto(new(recordA.Source, recordA.Key), new(recordB.Source, recordB.Key), answer.Together, answer.CohortA, answer.CohortB, !show,
            answer.Path?.Select(s => new IdentityPathStepDto(new(s.From.Source, s.From.Key), s.FromColumn, new(s.To.Source, s.To.Key), s.ToColumn,
                s.Identifier, V(s), s.Status, s.Reason)).ToList());
    }

    private static RecordRef Parse(string? text, string name) =>
        RecordRef.TryParse(text?.Trim() ?? "", out var record) ? record
            : throw new RequestException("Malformed record", $"Record '{name}' must be written source:key (e.g. customers:42); got '{text}'.");

    public async Task<IdentityRecordCohortDto> CohortOfAsync(string source, string key, CancellationToken ct = default)
    {
        var inspector = await InspectorAsync(ct).ConfigureAwait(false);
        var cohort = await inspector.CohortOfAsync(new RecordRef(source, key), ct).ConfigureAwait(false)
            ?? throw new NotFoundException("identity record", $"{source}:{key}");
        return new IdentityRecordCohortDto(source, key, cohort);
    }

    /// <summary>A cohort id, or <c>source:key</c> of a record (resolved to its cohort).</summary>
    public async Task<IdentityExplanationDto> LookupAsync(Actor actor, string text, CancellationToken ct = default)
    {
        text = text.Trim();
        if (RecordRef.TryParse(text, out var record))
        {
            var inspector = await InspectorAsync(ct).ConfigureAwait(false);
            if (await inspector.CohortOfAsync(record, ct).ConfigureAwait(false) is { } cohort) return await ExplainAsync(actor, cohort, ct).ConfigureAwait(false);
        }
        return await ExplainAsync(actor, text, ct).ConfigureAwait(false);
    }
}
