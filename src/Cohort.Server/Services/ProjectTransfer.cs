using System.Text.Json;
using System.Text.Json.Nodes;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Store;
using YamlDotNet.Serialization;

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

        var destinationNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, json) in ReadFolder(Path.Combine(dir, "destinations")))
        {
            var node = JsonNode.Parse(json) as JsonObject;
            if (node?["secrets"] is not null)
                throw new CohortDiagnosticsException([new Diagnostic("COH904", Severity.Error,
                    "Destination files must not hold secrets; set them in the Studio or with PUT /api/destinations/{name}.", new SourceLocation(Rel(dir, file), 0, 0, "secrets"), [])]);
            var name = node?["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file);
            node!["name"] = name;
            destinationNames.Add(name);
            var before = await documents.GetAsync(DocumentKinds.Destination, name, ct).ConfigureAwait(false);
            var save = await definitions.SaveDestinationAsync(actor, node.ToJsonString(), name, ct).ConfigureAwait(false);
            changes.Add(new TransferChange(DocumentKinds.Destination, name, Describe(save.Outcome, before)));
        }
        var syncNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, json) in ReadFolder(Path.Combine(dir, "syncs")))
        {
            var node = JsonNode.Parse(json) as JsonObject;
            var name = node?["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file);
            node!["name"] = name;
            syncNames.Add(name);
            var before = await documents.GetAsync(DocumentKinds.Sync, name, ct).ConfigureAwait(false);
            var save = await definitions.SaveSyncAsync(actor, node.ToJsonString(), name, ct: ct).ConfigureAwait(false);
            changes.Add(new TransferChange(DocumentKinds.Sync, name, Describe(save.Outcome, before)));
        }

        if (prune)
        {
            foreach (var sync in await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false))
            {
                if (syncNames.Contains(sync.Name)) continue;
                await definitions.DeleteSyncAsync(actor, sync.Name, ct).ConfigureAwait(false);
                changes.Add(new TransferChange(DocumentKinds.Sync, sync.Name, "deleted"));
            }
            foreach (var destination in await documents.ListAsync(DocumentKinds.Destination, ct).ConfigureAwait(false))
            {
                if (destinationNames.Contains(destination.Name)) continue;
                await definitions.DeleteDestinationAsync(actor, destination.Name, ct).ConfigureAwait(false);
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
        {
            var node = JsonNode.Parse(destination.Content)!.AsObject();
            node.Remove("secrets"); // names only, but secrets never go to files: they are set per environment
            changes.Add(await WriteAsync(Path.Combine(directory, "destinations", $"{destination.Name}.json"), DocumentKinds.Destination, destination.Name,
                node.ToJsonString(DefinitionService.Json) + "\n", ct).ConfigureAwait(false));
        }
        foreach (var sync in await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false))
            changes.Add(await WriteAsync(Path.Combine(directory, "syncs", $"{sync.Name}.json"), DocumentKinds.Sync, sync.Name, sync.Content + "\n", ct).ConfigureAwait(false));
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

    private static IEnumerable<(string File, string Json)> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var format = DocumentReader.FormatOf(file);
            if (format is null) continue;
            var text = File.ReadAllText(file);
            yield return (file, format == DocumentFormat.Json ? text : YamlToJson(text));
        }
    }

    private static string YamlToJson(string yaml)
    {
        var graph = new DeserializerBuilder().Build().Deserialize<object?>(yaml);
        return JsonSerializer.Serialize(Normalize(graph));
    }

    private static object? Normalize(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, p => Normalize(p.Value)),
        IList<object?> list => list.Select(Normalize).ToList(),
        _ => node,
    };

    private static string FormatName(string path) => DocumentReader.FormatOf(path) == DocumentFormat.Json ? "json" : "yaml";

    private static string Rel(string dir, string file) => Path.GetRelativePath(dir, file).Replace('\\', '/');
}
