using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Store;
using Cohort.Sync.Definitions;

namespace Cohort.Server.Services;

public sealed record TransferChange(string Kind, string Name, string Change);

/// <summary>
/// <c>cohort apply</c> and <c>cohort export</c>: the YAML project in git and the metadata store kept in step.
/// Apply validates the whole project first (every file, together) and writes nothing when anything is wrong; it
/// is idempotent (an unchanged file makes no new version). Export writes the store back as project files.
/// Project layout: <c>schema.yaml</c>, <c>audiences/</c>, and optionally <c>destinations/</c> and <c>syncs/</c>
/// (YAML or JSON; destination files never hold secrets).
/// </summary>
public sealed class ProjectTransfer(DocumentStore documents, DefinitionService definitions, AuditLog audit, Guard guard, ProjectState project)
{
    public async Task<List<TransferChange>> ApplyAsync(Actor actor, string projectPath, bool prune, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSchema, "project.apply", "project", projectPath, ct).ConfigureAwait(false);
        var loaded = ProjectLoader.Load(projectPath);
        if (loaded.HasErrors) throw new CohortDiagnosticsException(loaded.Diagnostics);
        // What depends on destination types (settings, operations a mode needs, identifiers), as `cohort validate` checks it.
        var bound = SyncProject.Bind(loaded, project.Catalog);
        if (bound.HasErrors) throw new CohortDiagnosticsException(bound.Diagnostics);
        var badNames = loaded.Audiences.Where(a => !DefinitionService.NamePattern().IsMatch(a.Name))
            .Select(a => new Diagnostic("COH904", Severity.Error, $"'{a.Name}' is not a valid audience name for the server: use letters, digits, '_' and '-'.",
                a.Location?.WithPath("name"), [])).ToList();
        if (badNames.Count > 0) throw new CohortDiagnosticsException(badNames);
        var dir = loaded.Project.Directory;
        var changes = new List<TransferChange>();

        var schemaText = await File.ReadAllTextAsync(loaded.Project.SchemaPath, ct).ConfigureAwait(false);
        changes.Add(await SaveAsync(actor, DocumentKinds.Schema, DocumentKinds.SchemaName, FormatName(loaded.Project.SchemaPath), schemaText, ct).ConfigureAwait(false));

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var audience in loaded.Audiences)
        {
            var file = Path.Combine(dir, audience.Location!.File);
            names.Add(audience.Name);
            changes.Add(await SaveAsync(actor, DocumentKinds.Audience, audience.Name, FormatName(file), await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), ct).ConfigureAwait(false));
        }
        project.Invalidate();

        // Destinations and syncs are stored as written (YAML or JSON), so that export gives the same files back.
        var destinationNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in loaded.Destinations)
        {
            if (destination.Location is not { File.Length: > 0 } location || location.File == ProjectDefinition.FileName) continue; // inline in cohort.yaml: read from there
            var file = Path.Combine(dir, location.File);
            destinationNames.Add(destination.Name);
            var before = await documents.GetAsync(DocumentKinds.Destination, destination.Name, ct).ConfigureAwait(false);
            var save = await definitions.SaveDestinationAsync(actor, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), Format(file), destination.Name,
                asWritten: true, comment: "cohort apply", ct: ct).ConfigureAwait(false);
            changes.Add(new TransferChange(DocumentKinds.Destination, destination.Name, Describe(save.Outcome, before)));
        }
        var syncNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sync in loaded.Syncs)
        {
            var file = Path.Combine(dir, sync.Location!.File);
            syncNames.Add(sync.Name);
            var before = await documents.GetAsync(DocumentKinds.Sync, sync.Name, ct).ConfigureAwait(false);
            var save = await definitions.SaveSyncAsync(actor, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), Format(file), sync.Name,
                asWritten: true, comment: "cohort apply", ct: ct).ConfigureAwait(false);
            changes.Add(new TransferChange(DocumentKinds.Sync, sync.Name, Describe(save.Outcome, before)));
        }

        if (prune)
        {
            foreach (var sync in await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false))
            {
                if (syncNames.Contains(sync.Name)) continue;
                await definitions.DeleteSyncAsync(actor, sync.Name, "cohort apply --prune", ct).ConfigureAwait(false);
                changes.Add(new TransferChange(DocumentKinds.Sync, sync.Name, "deleted"));
            }
            foreach (var destination in await documents.ListAsync(DocumentKinds.Destination, ct).ConfigureAwait(false))
            {
                if (destinationNames.Contains(destination.Name)) continue;
                await definitions.DeleteDestinationAsync(actor, destination.Name, "cohort apply --prune", ct).ConfigureAwait(false);
                changes.Add(new TransferChange(DocumentKinds.Destination, destination.Name, "deleted"));
            }
            foreach (var audience in await documents.ListAsync(DocumentKinds.Audience, ct).ConfigureAwait(false))
            {
                if (names.Contains(audience.Name)) continue;
                var deleted = await documents.DeleteAsync(DocumentKinds.Audience, audience.Name, actor.Username, ct).ConfigureAwait(false);
                await audit.WriteAsync(actor.Username, "audience.delete", "audience", audience.Name, AuditOutcomes.Ok, deleted?.PreviousContent, null, "project.apply --prune", ct).ConfigureAwait(false);
                changes.Add(new TransferChange(DocumentKinds.Audience, audience.Name, "deleted"));
            }
            project.Invalidate();
        }
        await audit.WriteAsync(actor.Username, "project.apply", "project", loaded.Project.Name, AuditOutcomes.Ok,
            detail: string.Join("; ", changes.Where(c => c.Change != "unchanged").Select(c => $"{c.Kind} {c.Name} {c.Change}")), ct: ct).ConfigureAwait(false);
        return changes;
    }

    /// <summary>Writes the store as a project into <paramref name="directory"/>: schema, audiences, destinations, syncs.</summary>
    public async Task<List<TransferChange>> ExportAsync(string directory, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var changes = new List<TransferChange>();
        if (await documents.GetAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, ct).ConfigureAwait(false) is { Deleted: false } schema)
            changes.Add(await WriteAsync(Path.Combine(directory, "schema." + schema.Format), DocumentKinds.Schema, schema.Name, schema.Content, ct).ConfigureAwait(false));
        foreach (var audience in await documents.ListAsync(DocumentKinds.Audience, ct).ConfigureAwait(false))
            changes.Add(await WriteAsync(Path.Combine(directory, "audiences", $"{audience.Name}.{audience.Format}"), DocumentKinds.Audience, audience.Name, audience.Content, ct).ConfigureAwait(false));
        foreach (var destination in await documents.ListAsync(DocumentKinds.Destination, ct).ConfigureAwait(false))
            changes.Add(await WriteAsync(Path.Combine(directory, "destinations", $"{destination.Name}.{destination.Format}"), DocumentKinds.Destination, destination.Name,
                destination.Content, ct).ConfigureAwait(false)); // never secrets: those are in the secret store only
        foreach (var sync in await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false))
            changes.Add(await WriteAsync(Path.Combine(directory, "syncs", $"{sync.Name}.{sync.Format}"), DocumentKinds.Sync, sync.Name, sync.Content, ct).ConfigureAwait(false));
        return changes;
    }

    private async Task<TransferChange> SaveAsync(Actor actor, string kind, string name, string format, string content, CancellationToken ct)
    {
        var before = await documents.GetAsync(kind, name, ct).ConfigureAwait(false);
        var save = await documents.SaveAsync(kind, name, format, content, actor.Username, comment: "cohort apply", ct: ct).ConfigureAwait(false);
        if (save.Outcome != SaveOutcome.Unchanged)
            await audit.WriteAsync(actor.Username, $"{kind}.{(save.Outcome == SaveOutcome.Created ? "create" : "update")}", kind, name, AuditOutcomes.Ok,
                save.PreviousContent, content, "cohort apply", ct).ConfigureAwait(false);
        return new TransferChange(kind, name, Describe(save.Outcome, before));
    }

    private static string Describe(SaveOutcome outcome, StoredDocument? before) => outcome switch
    {
        SaveOutcome.Created when before is { Deleted: true } => "restored",
        SaveOutcome.Created => "added",
        SaveOutcome.Updated => "changed",
        SaveOutcome.Deleted => "deleted",
        _ => "unchanged",
    };

    private static async Task<TransferChange> WriteAsync(string path, string kind, string name, string content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) == content)
            return new TransferChange(kind, name, "unchanged");
        var existed = File.Exists(path);
        await File.WriteAllTextAsync(path, content, ct).ConfigureAwait(false);
        return new TransferChange(kind, name, existed ? "changed" : "added");
    }

    private static DocumentFormat Format(string path) => DocumentReader.FormatOf(path) ?? DocumentFormat.Yaml;

    private static string FormatName(string path) => DocumentReader.FormatOf(path) == DocumentFormat.Json ? "json" : "yaml";

}
