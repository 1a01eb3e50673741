using Cohort.Core.Privacy;
using Cohort.Identity;
using Cohort.Server.Projects;
using Cohort.Server.Security;

namespace Cohort.Server.Services;

public sealed record IdentityRecordDto(string Source, string Key);

public sealed record IdentityLinkRecordDto(string Source, string Key, string Column);

public sealed record IdentityLinkDto(string Identifier, string Value, IReadOnlyList<IdentityLinkRecordDto> Records, string Rule);

public sealed record IdentityOccurrenceDto(string Source, string Key, string Identifier, string Column, string? Value, string Status, string? Reason);

/// <summary>Why a cohort's records are one profile. <see cref="Masked"/> says whether identifier values were masked.</summary>
public sealed record IdentityExplanationDto(string CohortId, bool Masked, IReadOnlyList<IdentityRecordDto> Records,
    IReadOnlyList<IdentityLinkDto> Links, IReadOnlyList<IdentityOccurrenceDto> Occurrences);

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
            [.. explanation.Occurrences.Select(o => new IdentityOccurrenceDto(o.Record.Source, o.Record.Key, o.Identifier, o.Column, V(o.Value), o.Status, o.Reason))]);
    }

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
