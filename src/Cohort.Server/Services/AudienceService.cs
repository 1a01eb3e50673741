using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Server.Projects;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

public sealed record AudienceSummary(
    string Name, string Model, string? Description, ImmutableArray<string> Labels, string? Folder, int Version,
    string Owner, DateTimeOffset UpdatedAt, string UpdatedBy, bool Valid, int ErrorCount,
    long? LastSize, DateTimeOffset? LastRefreshedAt, long? LastRefreshMs, DateTimeOffset? NextRunAt);

/// <summary>Reading, validating, saving, deleting and restoring audiences. Every change is versioned and audited.</summary>
public sealed class AudienceService(ProjectState project, DocumentStore documents, AuditLog audit, Guard guard, SizeHistory sizes, JobStore jobs, DefinitionService definitions)
{
    /// <summary>Definitions larger than this are refused before parsing.</summary>
    public const int MaxDefinitionBytes = 256 * 1024;

    public async Task<List<AudienceSummary>> ListAsync(CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var latest = await sizes.LatestAsync(ct).ConfigureAwait(false);
        var next = await NextRunsAsync(ct).ConfigureAwait(false);
        return [.. snapshot.Audiences.Values.OrderBy(a => a.Document.Name, StringComparer.Ordinal).Select(a =>
        {
            var d = a.Definition;
            latest.TryGetValue(a.Document.Name, out var point);
            return new AudienceSummary(a.Document.Name, d?.Model ?? "", d?.Description, d?.Labels ?? [], d?.Folder, a.Document.Version,
                a.Document.CreatedBy, a.Document.UpdatedAt, a.Document.UpdatedBy, a.IsValid, a.Diagnostics.Count(x => x.IsError),
                point?.Size, point?.At, point?.DurationMs, next.GetValueOrDefault(a.Document.Name));
        })];
    }

    /// <summary>The next scheduled run of any sync of each audience.</summary>
    public async Task<Dictionary<string, DateTimeOffset?>> NextRunsAsync(CancellationToken ct = default)
    {
        var syncs = await definitions.ListSyncsAsync(ct).ConfigureAwait(false);
        var jobList = (await jobs.ListAsync(ct).ConfigureAwait(false)).ToDictionary(j => j.SyncName, StringComparer.Ordinal);
        var result = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var sync in syncs)
        {
            if (sync.Audience is not { } audience || !jobList.TryGetValue(sync.Document.Name, out var job) || job.NextRunAt is not { } at) continue;
            if (!result.TryGetValue(audience, out var existing) || existing is null || at < existing) result[audience] = at;
        }
        return result;
    }

    public async Task<StoredAudience> GetAsync(string name, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        return snapshot.Audiences.GetValueOrDefault(name) ?? throw new NotFoundException("audience", name);
    }

    /// <summary>Reads and validates an audience against the current project. <paramref name="expectedName"/> (from a URL) must match the document's name.</summary>
    public async Task<AudienceLoadResult> ValidateAsync(string text, DocumentFormat format, string? expectedName = null, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var fileName = expectedName is null ? "audience" : $"audiences/{expectedName}";
        var result = ProjectLoader.LoadAudienceText(snapshot.Project, text, format, fileName + (format == DocumentFormat.Json ? ".json" : ".yaml"));
        if (result.Audience is { } named && !DefinitionService.NamePattern().IsMatch(named.Name))
        {
            // Names become URL segments and file names on export: keep them to a safe alphabet.
            var bag = new DiagnosticBag();
            bag.AddRange(result.Diagnostics);
            bag.Error("COH904", $"'{named.Name}' is not a valid audience name for the server: use letters, digits, '_' and '-', starting with a letter or '_' (at most 100 characters).",
                new SourceLocation(fileName, 0, 0, "name"));
            return new AudienceLoadResult(named, bag.ToImmutable());
        }
        if (result.Audience is { } a && expectedName is not null && a.Name != expectedName)
        {
            var bag = new DiagnosticBag();
            bag.AddRange(result.Diagnostics);
            bag.Error("COH902", $"The document's name '{a.Name}' differs from the audience being saved, '{expectedName}'. Renaming is not supported; create a new audience instead.",
                new SourceLocation(fileName, 0, 0, "name"), [expectedName]);
            return new AudienceLoadResult(a, bag.ToImmutable());
        }
        return result;
    }

    /// <summary>
    /// Validates and saves. JSON input is stored as YAML written by <see cref="AudienceWriter"/> so that versions
    /// diff line by line; YAML is stored as given. Throws <see cref="CohortDiagnosticsException"/> when invalid (nothing is stored).
    /// </summary>
    public async Task<SaveResult> SaveAsync(Actor actor, string text, DocumentFormat format, string? expectedName = null, int? expectedVersion = null,
        string? comment = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditAudiences, "audience.save", "audience", expectedName ?? "(new)", ct).ConfigureAwait(false);
        var result = await ValidateAsync(text, format, expectedName, ct).ConfigureAwait(false);
        if (!result.Succeeded) throw new CohortDiagnosticsException(result.Diagnostics);
        var audience = result.Audience!;
        if (expectedName is null && await documents.GetAsync(DocumentKinds.Audience, audience.Name, ct).ConfigureAwait(false) is { Deleted: false })
            throw new VersionConflictException(DocumentKinds.Audience, audience.Name, 0, -1);
        var stored = format == DocumentFormat.Yaml ? text : AudienceWriter.ToYaml(audience);
        var save = await documents.SaveAsync(DocumentKinds.Audience, audience.Name, "yaml", stored, actor.Username, expectedVersion, comment, ct).ConfigureAwait(false);
        project.Invalidate();
        if (save.Outcome != SaveOutcome.Unchanged)
            await audit.WriteAsync(actor.Username, save.Outcome == SaveOutcome.Created ? "audience.create" : "audience.update", "audience", audience.Name,
                AuditOutcomes.Ok, save.PreviousContent, stored, $"version {save.Version!.Version}", ct).ConfigureAwait(false);
        return save;
    }

    public async Task<SaveResult> DeleteAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditAudiences, "audience.delete", "audience", name, ct).ConfigureAwait(false);
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var users = snapshot.ValidAudiences.Where(a => a.Name != name && (a.Exclusions.Contains(name) || References(a.Condition, name))).Select(a => a.Name).ToList();
        if (users.Count > 0)
            throw new RequestException("Audience in use", $"'{name}' is used by {string.Join(", ", users)}; change those first.");
        var syncs = (await definitions.ListSyncsAsync(ct).ConfigureAwait(false)).Where(s => s.Audience == name || s.Written?.Exclusions.Contains(name) == true).Select(s => s.Document.Name).ToList();
        if (syncs.Count > 0)
            throw new RequestException("Audience in use", $"'{name}' is synced by {string.Join(", ", syncs)}; delete those syncs first.");
        var result = await documents.DeleteAsync(DocumentKinds.Audience, name, actor.Username, ct).ConfigureAwait(false) ?? throw new NotFoundException("audience", name);
        project.Invalidate();
        await audit.WriteAsync(actor.Username, "audience.delete", "audience", name, AuditOutcomes.Ok, result.PreviousContent, null, $"version {result.Version!.Version}", ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Restores an old version as a new version, after checking it against the current schema.</summary>
    public async Task<SaveResult> RestoreAsync(Actor actor, string name, int version, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditAudiences, "audience.restore", "audience", name, ct).ConfigureAwait(false);
        var old = await documents.VersionAsync(DocumentKinds.Audience, name, version, ct).ConfigureAwait(false)
            ?? throw new NotFoundException("audience version", $"{name} v{version}");
        if (old.Deleted) throw new RequestException("Cannot restore a deletion", $"Version {version} of '{name}' is a deletion; restore the version before it.");
        var result = await ValidateAsync(old.Content, ProjectState.FormatOf(old.Format), name, ct).ConfigureAwait(false);
        if (!result.Succeeded) throw new CohortDiagnosticsException(result.Diagnostics);
        var save = await documents.SaveAsync(DocumentKinds.Audience, name, old.Format, old.Content, actor.Username, null, $"restored from version {version}", ct).ConfigureAwait(false);
        project.Invalidate();
        await audit.WriteAsync(actor.Username, "audience.restore", "audience", name, AuditOutcomes.Ok, save.PreviousContent, old.Content,
            $"restored version {version} as version {save.Document!.Version}", ct).ConfigureAwait(false);
        return save;
    }

    public Task<List<DocumentVersion>> VersionsAsync(string name, CancellationToken ct = default) => documents.VersionsAsync(DocumentKinds.Audience, name, ct);

    private static bool References(Condition? condition, string name) => condition switch
    {
        AllCondition all => all.Conditions.Any(c => References(c, name)),
        AnyCondition any => any.Conditions.Any(c => References(c, name)),
        NotCondition not => References(not.Inner, name),
        AudienceCondition a => a.Audience == name,
        _ => false,
    };
}
