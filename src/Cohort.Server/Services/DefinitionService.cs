using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Syncs;
using Cohort.Server.Projects;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>A secret a destination refers to with <c>{secret: NAME}</c>, and whether the server's secret store holds a value for it.</summary>
public sealed record SecretStatus(string Name, bool Set);

/// <summary>
/// Destinations and syncs, stored as versioned documents in the project format that <c>cohort validate</c> and the
/// <c>cohort sync</c> verbs read (docs/destinations.md, docs/sync.md): the same readers and validators
/// (<see cref="DestinationReader"/>, <see cref="SyncReader"/>, <see cref="SyncValidator"/>, the destination catalog)
/// check what the API, the Studio and <c>cohort apply</c> save. YAML is stored as written; JSON as the equivalent
/// YAML. Destination secrets never enter a document: settings refer to them as <c>{secret: NAME}</c> (or
/// <c>{env: NAME}</c>), and values given in a request's <c>secrets:</c> mapping are encrypted in the
/// <see cref="SecretVault"/>, bound to their destination.
/// </summary>
public sealed partial class DefinitionService(DocumentStore documents, SecretVault secrets, AuditLog audit, Guard guard, JobStore jobs,
    ProjectState project, TimeProvider clock)
{
    /// <summary>The request-only key of a destination body whose values go to the secret store.</summary>
    public const string SecretsKey = "secrets";

    // ---- destinations

    public async Task<List<StoredDestination>> ListDestinationsAsync(CancellationToken ct = default) =>
        [.. (await project.CurrentAsync(ct).ConfigureAwait(false)).Destinations.Values.OrderBy(d => d.Document.Name, StringComparer.Ordinal)];

    public async Task<StoredDestination> GetDestinationAsync(string name, CancellationToken ct = default) =>
        (await project.CurrentAsync(ct).ConfigureAwait(false)).Destinations.GetValueOrDefault(name) ?? throw new NotFoundException("destination", name);

    /// <summary>The secrets a destination refers to (and any the store still holds for it), with whether each is set. Never values.</summary>
    public async Task<ImmutableArray<SecretStatus>> SecretsAsync(StoredDestination destination, CancellationToken ct = default)
    {
        var stored = await secrets.KeysAsync(destination.Document.Name, ct).ConfigureAwait(false);
        var referenced = destination.Definition is null ? [] : SecretNames(destination.Definition);
        return [.. referenced.Union(stored).Order(StringComparer.Ordinal).Select(n => new SecretStatus(n, stored.Contains(n)))];
    }

    /// <summary>
    /// Validates and saves a destination (admin only). <paramref name="text"/> is a destination in the project format,
    /// plus, in API requests only, <c>secrets: {NAME: value}</c> for settings written as <c>{secret: NAME}</c>.
    /// <paramref name="asWritten"/> keeps a JSON document as JSON (<c>cohort apply</c> of a .json file).
    /// </summary>
    public async Task<SaveResult> SaveDestinationAsync(Actor actor, string text, DocumentFormat format, string? expectedName,
        bool asWritten = false, string? comment = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageDestinations, "destination.save", "destination", expectedName ?? "(new)", ct).ConfigureAwait(false);
        return await WriteDestinationAsync(actor, text, format, expectedName, asWritten, comment, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates and stores a destination once the permission is checked. With <paramref name="restoredFrom"/>, the text is
    /// that old version's document: the new version says so and the audit entry is a <c>destination.restore</c>.
    /// </summary>
    private async Task<SaveResult> WriteDestinationAsync(Actor actor, string text, DocumentFormat format, string? expectedName,
        bool asWritten, string? comment, int? restoredFrom, CancellationToken ct)
    {
        var bag = new DiagnosticBag();
        var fileName = ProjectState.DestinationFile(expectedName ?? "destination", Extension(format));
        var root = DocumentReader.ReadText(text, format, fileName, bag);
        var name = DocumentName(root, expectedName, "destination", bag);
        var supplied = new Dictionary<string, string>(StringComparer.Ordinal);
        DocEntry? secretsEntry = null;
        if (root is DocMapping top && top.Find(SecretsKey) is { } entry)
        {
            secretsEntry = entry;
            if (asWritten)
                bag.Error("COH904", "Destination files must not hold secrets: refer to them as {secret: NAME} and set their values in the Studio or with PUT /api/destinations/{name}.",
                    entry.KeyLocation.WithPath(SecretsKey), ["{secret: NAME}", "{env: NAME}"]);
            else if (entry.Value is not DocMapping values)
                bag.Error("COH904", "'secrets' must be a mapping of secret names to their values.", entry.Value.Location.WithPath(SecretsKey));
            else
            {
                foreach (var value in values.Entries)
                {
                    if (value.Value is DocScalar { IsNull: false } scalar && scalar.Text.Length > 0) supplied[value.Key] = scalar.Text;
                    else bag.Error("COH904", $"The secret '{value.Key}' must be a non-empty text value.", value.Value.Location.WithPath($"{SecretsKey}.{value.Key}"));
                }
            }
        }
        var document = root is null ? null : DocumentConverter.Without(root, SecretsKey);
        var definition = document is null || name is null ? null : DestinationReader.Read(document, name, bag);
        if (definition is not null)
        {
            project.Catalog.Validate(definition, bag);
            var referenced = SecretNames(definition);
            foreach (var key in supplied.Keys.Where(k => !referenced.Contains(k)))
            {
                var at = ((DocMapping)secretsEntry!.Value).Find(key)!.KeyLocation.WithPath($"{SecretsKey}.{key}");
                bag.Error("COH904", $"No setting refers to the secret '{key}': write the setting as {{secret: {key}}}, or leave the secret out.", at,
                    NameSuggester.Nearest(key, referenced));
            }
        }
        if (bag.HasErrors || definition is null) throw new CohortDiagnosticsException(bag.ToImmutable());

        var keep = format == DocumentFormat.Yaml || asWritten;
        var stored = keep && secretsEntry is null ? text : DocumentConverter.ToYaml(document!);
        var storedFormat = keep && secretsEntry is null ? Extension(format) : "yaml";
        var existing = await documents.GetAsync(DocumentKinds.Destination, name!, ct).ConfigureAwait(false);
        if (expectedName is null && existing is { Deleted: false }) throw new VersionConflictException(DocumentKinds.Destination, name!, 0, -1);
        if (restoredFrom is { } from) comment = RestoredComment(from);
        var save = await documents.SaveAsync(DocumentKinds.Destination, name!, storedFormat, stored, actor.Username, comment: comment, ct: ct).ConfigureAwait(false);
        foreach (var (key, value) in supplied) await secrets.SetAsync(name!, key, value, actor.Username, ct).ConfigureAwait(false);
        // A secret no setting refers to any more is removed, so the store never keeps credentials nothing uses.
        var stale = existing is { Deleted: false } ? (await secrets.KeysAsync(name!, ct).ConfigureAwait(false)).Except(SecretNames(definition)).ToList() : [];
        foreach (var key in stale) await secrets.RemoveAsync(name!, key, ct).ConfigureAwait(false);
        project.Invalidate();
        if (save.Outcome != SaveOutcome.Unchanged || supplied.Count > 0 || stale.Count > 0 || restoredFrom is not null)
        {
            var detail = new List<string>();
            if (restoredFrom is { } v)
            {
                detail.Add($"restored version {v} as version {save.Document!.Version}");
                var unset = SecretNames(definition).Except(await secrets.KeysAsync(name!, ct).ConfigureAwait(false)).ToList();
                if (unset.Count > 0) detail.Add($"secrets not set: {string.Join(", ", unset)}");
                comment = null;
            }
            if (supplied.Count > 0) detail.Add($"secrets set: {string.Join(", ", supplied.Keys.Order(StringComparer.Ordinal))} (values not logged)");
            if (stale.Count > 0) detail.Add($"secrets removed: {string.Join(", ", stale.Order(StringComparer.Ordinal))}");
            if (comment is not null) detail.Add(comment);
            var action = restoredFrom is not null ? "destination.restore" : save.Outcome == SaveOutcome.Created ? "destination.create" : "destination.update";
            await audit.WriteAsync(actor.Username, action, "destination", name!,
                AuditOutcomes.Ok, save.PreviousContent, stored, detail.Count > 0 ? string.Join("; ", detail) : null, ct).ConfigureAwait(false);
        }
        return save;
    }

    public async Task DeleteDestinationAsync(Actor actor, string name, string? comment = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageDestinations, "destination.delete", "destination", name, ct).ConfigureAwait(false);
        var users = (await ListSyncsAsync(ct).ConfigureAwait(false)).Where(s => s.Written?.Destination == name).Select(s => s.Document.Name).ToList();
        if (users.Count > 0) throw new RequestException("Destination in use", $"'{name}' is used by {string.Join(", ", users)}; delete those syncs first.");
        var result = await documents.DeleteAsync(DocumentKinds.Destination, name, actor.Username, ct).ConfigureAwait(false) ?? throw new NotFoundException("destination", name);
        await secrets.RemoveAllAsync(name, ct).ConfigureAwait(false);
        project.Invalidate();
        await audit.WriteAsync(actor.Username, "destination.delete", "destination", name, AuditOutcomes.Ok, result.PreviousContent, null, comment, ct).ConfigureAwait(false);
    }

    /// <summary>Every <c>{secret: NAME}</c> a destination's settings refer to (at any depth).</summary>
    public static ImmutableArray<string> SecretNames(DestinationDefinition destination)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(SettingValue value)
        {
            switch (value)
            {
                case SettingValue.Secret secret: names.Add(secret.Name); break;
                case SettingValue.Map map: foreach (var e in map.Entries) Visit(e.Value); break;
                case SettingValue.List list: foreach (var i in list.Items) Visit(i); break;
            }
        }
        foreach (var setting in destination.Settings) Visit(setting.Value);
        return [.. names];
    }

    // ---- syncs

    public async Task<List<StoredSync>> ListSyncsAsync(CancellationToken ct = default) =>
        [.. (await project.CurrentAsync(ct).ConfigureAwait(false)).Syncs.Values.OrderBy(s => s.Document.Name, StringComparer.Ordinal)];

    public async Task<StoredSync> GetSyncAsync(string name, CancellationToken ct = default) =>
        (await project.CurrentAsync(ct).ConfigureAwait(false)).Syncs.GetValueOrDefault(name) ?? throw new NotFoundException("sync", name);

    /// <summary>Reads and checks a sync against the current project without saving it.</summary>
    public async Task<SyncCheck> ValidateSyncAsync(string text, DocumentFormat format, string? expectedName, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var bag = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, ProjectState.SyncFile(expectedName ?? "sync", Extension(format)), bag);
        var name = DocumentName(root, expectedName, "sync", bag);
        if (root is null || name is null) return new SyncCheck(root, null, null, Schedule.ManualOnly, bag.ToImmutable());
        var check = project.CheckSync(snapshot.Project, text, format, name);
        return bag.HasErrors ? check with { Bound = null, Diagnostics = [.. bag.ToImmutable(), .. check.Diagnostics] } : check;
    }

    /// <summary>Validates and saves a sync; its schedule becomes the scheduler's job. Throws <see cref="CohortDiagnosticsException"/> when invalid.</summary>
    public async Task<SaveResult> SaveSyncAsync(Actor actor, string text, DocumentFormat format, string? expectedName, bool asWritten = false,
        int? expectedVersion = null, string? comment = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSyncs, "sync.save", "sync", expectedName ?? "(new)", ct).ConfigureAwait(false);
        return await WriteSyncAsync(actor, text, format, expectedName, asWritten, expectedVersion, comment, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates and stores a sync once the permission is checked, and keeps its job in step with its schedule. With
    /// <paramref name="restoredFrom"/>, the text is that old version's document and the audit entry is a <c>sync.restore</c>.
    /// </summary>
    private async Task<SaveResult> WriteSyncAsync(Actor actor, string text, DocumentFormat format, string? expectedName, bool asWritten,
        int? expectedVersion, string? comment, int? restoredFrom, CancellationToken ct)
    {
        var check = await ValidateSyncAsync(text, format, expectedName, ct).ConfigureAwait(false);
        if (!check.Succeeded) throw new CohortDiagnosticsException(check.Diagnostics);
        var name = check.Written!.Name;
        if (expectedName is null && await documents.GetAsync(DocumentKinds.Sync, name, ct).ConfigureAwait(false) is { Deleted: false })
            throw new VersionConflictException(DocumentKinds.Sync, name, 0, -1);
        var keep = format == DocumentFormat.Yaml || asWritten;
        var stored = keep ? text : DocumentConverter.ToYaml(check.Root!);
        if (restoredFrom is { } from) comment = RestoredComment(from);
        var save = await documents.SaveAsync(DocumentKinds.Sync, name, keep ? Extension(format) : "yaml", stored, actor.Username, expectedVersion, comment, ct).ConfigureAwait(false);
        project.Invalidate();
        var current = await jobs.GetAsync(name, ct).ConfigureAwait(false);
        if (current is null || current.Schedule != check.Schedule)
            await jobs.UpsertAsync(name, check.Schedule, check.Schedule.NextAfter(clock.GetUtcNow(), project.TimeZone), ct).ConfigureAwait(false);
        if (restoredFrom is { } v)
            await audit.WriteAsync(actor.Username, "sync.restore", "sync", name, AuditOutcomes.Ok, save.PreviousContent, stored,
                $"restored version {v} as version {save.Document!.Version}", ct).ConfigureAwait(false);
        else if (save.Outcome != SaveOutcome.Unchanged)
            await audit.WriteAsync(actor.Username, save.Outcome == SaveOutcome.Created ? "sync.create" : "sync.update", "sync", name,
                AuditOutcomes.Ok, save.PreviousContent, stored, comment ?? $"version {save.Version!.Version}", ct).ConfigureAwait(false);
        return save;
    }

    public async Task DeleteSyncAsync(Actor actor, string name, string? comment = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSyncs, "sync.delete", "sync", name, ct).ConfigureAwait(false);
        var result = await documents.DeleteAsync(DocumentKinds.Sync, name, actor.Username, ct).ConfigureAwait(false) ?? throw new NotFoundException("sync", name);
        await jobs.RemoveAsync(name, ct).ConfigureAwait(false);
        project.Invalidate();
        await audit.WriteAsync(actor.Username, "sync.delete", "sync", name, AuditOutcomes.Ok, result.PreviousContent, null, comment, ct).ConfigureAwait(false);
    }

    /// <summary>Asks for a run now: the job becomes due and the next scheduler tick (on any server) runs it under its lease.</summary>
    public async Task TriggerAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.TriggerSyncs, "sync.trigger", "sync", name, ct).ConfigureAwait(false);
        var sync = await GetSyncAsync(name, ct).ConfigureAwait(false);
        if (!await jobs.MakeDueAsync(name, clock.GetUtcNow(), ct).ConfigureAwait(false))
            await jobs.UpsertAsync(name, sync.Schedule, clock.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "sync.trigger", "sync", name, AuditOutcomes.Ok, detail: "manual trigger", ct: ct).ConfigureAwait(false);
    }

    // ---- helpers

    /// <summary>The document's <c>name</c>, or the one from the URL; they must agree, and names become URLs and file names.</summary>
    private static string? DocumentName(DocNode? root, string? expected, string what, DiagnosticBag bag)
    {
        if (root is not DocMapping mapping) return expected;
        string? name = expected;
        var at = mapping.Location.WithPath("name");
        if (mapping.Find("name") is { } entry)
        {
            if (entry.Value is not DocScalar { IsNull: false } scalar || scalar.Text.Length == 0) return null; // the reader reports it
            name = scalar.Text;
            at = entry.Value.Location.WithPath("name");
        }
        if (name is null)
        {
            bag.Error("COH904", $"A {what} needs 'name'.", at);
            return null;
        }
        if (!NamePattern().IsMatch(name))
        {
            bag.Error("COH904", $"'{name}' is not a valid {what} name: use letters, digits, '_' and '-', starting with a letter or '_' (at most 100 characters).", at);
            return null;
        }
        if (expected is not null && name != expected)
        {
            bag.Error("COH902", $"The document's name '{name}' differs from the {what} being saved, '{expected}'. Renaming is not supported; create a new {what} instead.", at, [expected]);
            return null;
        }
        return name;
    }

    private static string Extension(DocumentFormat format) => format == DocumentFormat.Json ? "json" : "yaml";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,99}$")]
    internal static partial Regex NamePattern();
}
