using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Server.Projects;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>A destination as stored and returned: configuration and the names of its secrets, never their values.</summary>
public sealed record DestinationDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("config")] ImmutableSortedDictionary<string, string> Config,
    [property: JsonPropertyName("secrets")] ImmutableArray<string> Secrets);

/// <summary>A sync definition: which audience goes to which destination, how, and when.</summary>
public sealed record SyncDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("audience")] string Audience,
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("identifiers")] ImmutableArray<string> Identifiers,
    [property: JsonPropertyName("mapping")] ImmutableSortedDictionary<string, string> Mapping,
    [property: JsonPropertyName("schedule")] Schedule Schedule,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>
/// Destinations and syncs, stored as versioned JSON documents. Destination secrets are split off on save, encrypted
/// in <see cref="SecretVault"/>, and only their names are kept in the (diffed, exported) document.
/// </summary>
public sealed partial class DefinitionService(DocumentStore documents, SecretVault secrets, AuditLog audit, Guard guard, JobStore jobs,
    ProjectState project, TimeProvider clock)
{
    public static readonly ImmutableArray<string> Modes = ["add_remove", "upsert", "update", "insert", "mirror", "archive_on_exit"];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    // ---- destinations

    public async Task<List<DestinationDefinition>> ListDestinationsAsync(CancellationToken ct = default) =>
        [.. (await documents.ListAsync(DocumentKinds.Destination, ct).ConfigureAwait(false)).Select(d => JsonSerializer.Deserialize<DestinationDefinition>(d.Content, Json)!)];

    public async Task<(StoredDocument Document, DestinationDefinition Definition)> GetDestinationAsync(string name, CancellationToken ct = default)
    {
        var doc = await documents.GetAsync(DocumentKinds.Destination, name, ct).ConfigureAwait(false);
        if (doc is null || doc.Deleted) throw new NotFoundException("destination", name);
        return (doc, JsonSerializer.Deserialize<DestinationDefinition>(doc.Content, Json)!);
    }

    public async Task<SaveResult> SaveDestinationAsync(Actor actor, string text, string? expectedName, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageDestinations, "destination.save", "destination", expectedName ?? "(new)", ct).ConfigureAwait(false);
        var bag = new DiagnosticBag();
        var node = Parse(text, "destination", bag);
        var name = Name(node, expectedName, "destination", bag);
        var type = RequiredString(node, "type", "destination", bag);
        var config = StringMap(node, "config", "destination", bag);
        var secretValues = StringMap(node, "secrets", "destination", bag);
        Reject(node, ["name", "type", "description", "config", "secrets"], "destination", bag);
        foreach (var key in config.Keys.Where(LooksSecret))
            bag.Error("COH904", $"The config key '{key}' looks like a credential; put it under 'secrets' so that it is encrypted and never shown again.",
                SourceLocation.None($"config.{key}"), ["secrets"]);
        if (bag.HasErrors) throw new CohortDiagnosticsException(bag.ToImmutable());

        var existing = await documents.GetAsync(DocumentKinds.Destination, name!, ct).ConfigureAwait(false);
        var keptSecrets = existing is { Deleted: false } ? await secrets.KeysAsync(name!, ct).ConfigureAwait(false) : [];
        foreach (var (key, value) in secretValues) await secrets.SetAsync(name!, key, value, actor.Username, ct).ConfigureAwait(false);
        var definition = new DestinationDefinition(name!, type!, node?["description"]?.GetValue<string>(), config.ToImmutableSortedDictionary(StringComparer.Ordinal),
            [.. keptSecrets.Union(secretValues.Keys).Order(StringComparer.Ordinal)]);
        var content = JsonSerializer.Serialize(definition, Json);
        var save = await documents.SaveAsync(DocumentKinds.Destination, name!, "json", content, actor.Username, ct: ct).ConfigureAwait(false);
        if (save.Outcome != SaveOutcome.Unchanged || secretValues.Count > 0)
            await audit.WriteAsync(actor.Username, save.Outcome == SaveOutcome.Created ? "destination.create" : "destination.update", "destination", name!,
                AuditOutcomes.Ok, save.PreviousContent, content,
                secretValues.Count > 0 ? $"secrets set: {string.Join(", ", secretValues.Keys.Order(StringComparer.Ordinal))} (values not logged)" : null, ct).ConfigureAwait(false);
        return save;
    }

    public async Task DeleteDestinationAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageDestinations, "destination.delete", "destination", name, ct).ConfigureAwait(false);
        var users = (await ListSyncsAsync(ct).ConfigureAwait(false)).Where(s => s.Destination == name).Select(s => s.Name).ToList();
        if (users.Count > 0) throw new RequestException("Destination in use", $"'{name}' is used by {string.Join(", ", users)}; delete those syncs first.");
        var result = await documents.DeleteAsync(DocumentKinds.Destination, name, actor.Username, ct).ConfigureAwait(false) ?? throw new NotFoundException("destination", name);
        await secrets.RemoveAllAsync(name, ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "destination.delete", "destination", name, AuditOutcomes.Ok, result.PreviousContent, null, null, ct).ConfigureAwait(false);
    }

    // ---- syncs

    public async Task<List<SyncDefinition>> ListSyncsAsync(CancellationToken ct = default) =>
        [.. (await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false)).Select(d => JsonSerializer.Deserialize<SyncDefinition>(d.Content, Json)!)];

    public async Task<(StoredDocument Document, SyncDefinition Definition)> GetSyncAsync(string name, CancellationToken ct = default)
    {
        var doc = await documents.GetAsync(DocumentKinds.Sync, name, ct).ConfigureAwait(false);
        if (doc is null || doc.Deleted) throw new NotFoundException("sync", name);
        return (doc, JsonSerializer.Deserialize<SyncDefinition>(doc.Content, Json)!);
    }

    public async Task<SaveResult> SaveSyncAsync(Actor actor, string text, string? expectedName, string? author = null, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSyncs, "sync.save", "sync", expectedName ?? "(new)", ct).ConfigureAwait(false);
        var bag = new DiagnosticBag();
        var node = Parse(text, "sync", bag);
        var name = Name(node, expectedName, "sync", bag);
        var audience = RequiredString(node, "audience", "sync", bag);
        var destination = RequiredString(node, "destination", "sync", bag);
        var mode = node?["mode"] is null ? "upsert" : RequiredString(node, "mode", "sync", bag);
        var mapping = StringMap(node, "mapping", "sync", bag);
        var identifiers = StringList(node, "identifiers", "sync", bag);
        Reject(node, ["name", "audience", "destination", "mode", "identifiers", "mapping", "schedule", "description"], "sync", bag);
        Schedule schedule = Schedule.ManualOnly;
        if (node?["schedule"] is JsonObject scheduleNode)
        {
            try
            {
                schedule = scheduleNode.Deserialize<Schedule>(Json) ?? Schedule.ManualOnly;
                bag.AddRange(schedule.Check("schedule"));
            }
            catch (JsonException e)
            {
                bag.Error("COH904", $"The schedule is not valid: {e.Message}", SourceLocation.None("schedule"));
            }
        }
        else if (node?["schedule"] is not null)
            bag.Error("COH904", "'schedule' must be a mapping such as {type: cron, cron: '0 6 * * *', time_zone: Europe/London}.", SourceLocation.None("schedule"));
        if (mode is not null && !Modes.Contains(mode))
            bag.Error("COH904", $"Unknown sync mode '{mode}'.", SourceLocation.None("mode"), NameSuggester.Nearest(mode, Modes));

        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        if (audience is not null && !snapshot.Audiences.ContainsKey(audience))
            bag.Error("COH903", $"There is no audience named '{audience}'.", SourceLocation.None("audience"), NameSuggester.Nearest(audience, snapshot.Audiences.Keys));
        var destinations = await ListDestinationsAsync(ct).ConfigureAwait(false);
        if (destination is not null && destinations.All(d => d.Name != destination))
            bag.Error("COH903", $"There is no destination named '{destination}'.", SourceLocation.None("destination"), NameSuggester.Nearest(destination, destinations.Select(d => d.Name)));
        if (bag.HasErrors) throw new CohortDiagnosticsException(bag.ToImmutable());

        var definition = new SyncDefinition(name!, audience!, destination!, mode!, identifiers, mapping.ToImmutableSortedDictionary(StringComparer.Ordinal), schedule,
            node?["description"]?.GetValue<string>());
        var content = JsonSerializer.Serialize(definition, Json);
        var save = await documents.SaveAsync(DocumentKinds.Sync, name!, "json", content, author ?? actor.Username, ct: ct).ConfigureAwait(false);
        await jobs.UpsertAsync(name!, schedule, schedule.NextAfter(clock.GetUtcNow(), project.TimeZone), ct).ConfigureAwait(false);
        if (save.Outcome != SaveOutcome.Unchanged)
            await audit.WriteAsync(actor.Username, save.Outcome == SaveOutcome.Created ? "sync.create" : "sync.update", "sync", name!,
                AuditOutcomes.Ok, save.PreviousContent, content, null, ct).ConfigureAwait(false);
        return save;
    }

    public async Task DeleteSyncAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSyncs, "sync.delete", "sync", name, ct).ConfigureAwait(false);
        var result = await documents.DeleteAsync(DocumentKinds.Sync, name, actor.Username, ct).ConfigureAwait(false) ?? throw new NotFoundException("sync", name);
        await jobs.RemoveAsync(name, ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "sync.delete", "sync", name, AuditOutcomes.Ok, result.PreviousContent, null, null, ct).ConfigureAwait(false);
    }

    /// <summary>Asks for a run now: the job becomes due and the next scheduler tick (on any server) runs it under its lease.</summary>
    public async Task TriggerAsync(Actor actor, string name, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.TriggerSyncs, "sync.trigger", "sync", name, ct).ConfigureAwait(false);
        var (_, sync) = await GetSyncAsync(name, ct).ConfigureAwait(false);
        if (!await jobs.MakeDueAsync(name, clock.GetUtcNow(), ct).ConfigureAwait(false))
        {
            await jobs.UpsertAsync(name, sync.Schedule, clock.GetUtcNow(), ct).ConfigureAwait(false);
        }
        await audit.WriteAsync(actor.Username, "sync.trigger", "sync", name, AuditOutcomes.Ok, detail: "manual trigger", ct: ct).ConfigureAwait(false);
    }

    // ---- parsing helpers: problems become diagnostics with the path of the field

    internal static JsonObject? Parse(string text, string what, DiagnosticBag bag)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject o) return o;
            bag.Error("COH900", $"A {what} must be a JSON object.", SourceLocation.None());
        }
        catch (JsonException e)
        {
            bag.Error("COH900", $"The {what} is not valid JSON: {e.Message}", new SourceLocation(what, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, ""));
        }
        return null;
    }

    private static string? Name(JsonObject? node, string? expected, string what, DiagnosticBag bag)
    {
        var name = RequiredString(node, "name", what, bag) ?? expected;
        if (name is null) return null;
        if (!NamePattern().IsMatch(name))
            bag.Error("COH904", $"'{name}' is not a valid {what} name: use letters, digits, '_' and '-', starting with a letter or '_' (at most 100 characters).", SourceLocation.None("name"));
        else if (expected is not null && name != expected)
            bag.Error("COH902", $"The document's name '{name}' differs from the {what} being saved, '{expected}'.", SourceLocation.None("name"), [expected]);
        return name;
    }

    private static string? RequiredString(JsonObject? node, string key, string what, DiagnosticBag bag)
    {
        if (node is null) return null;
        if (node[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) return s;
        bag.Error("COH904", node[key] is null ? $"A {what} needs '{key}'." : $"'{key}' must be a non-empty string.", SourceLocation.None(key));
        return null;
    }

    private static Dictionary<string, string> StringMap(JsonObject? node, string key, string what, DiagnosticBag bag)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node?[key] is null) return map;
        if (node[key] is not JsonObject o)
        {
            bag.Error("COH904", $"'{key}' of a {what} must be a mapping of names to strings.", SourceLocation.None(key));
            return map;
        }
        foreach (var (k, v) in o)
        {
            if (v is JsonValue value && value.TryGetValue<string>(out var s)) map[k] = s;
            else bag.Error("COH904", $"'{key}.{k}' must be a string.", SourceLocation.None($"{key}.{k}"));
        }
        return map;
    }

    private static ImmutableArray<string> StringList(JsonObject? node, string key, string what, DiagnosticBag bag)
    {
        if (node?[key] is null) return [];
        if (node[key] is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue<string>(out _))) return [.. a.Select(x => x!.GetValue<string>())];
        bag.Error("COH904", $"'{key}' of a {what} must be a list of strings.", SourceLocation.None(key));
        return [];
    }

    private static void Reject(JsonObject? node, string[] known, string what, DiagnosticBag bag)
    {
        if (node is null) return;
        foreach (var (key, _) in node.Where(p => !known.Contains(p.Key)))
            bag.Error("COH904", $"Unknown key '{key}' in a {what}.", SourceLocation.None(key), NameSuggester.Nearest(key, known));
    }

    private static bool LooksSecret(string key) =>
        key.Contains("secret", StringComparison.OrdinalIgnoreCase) || key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase) || key.Contains("api_key", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,99}$")]
    internal static partial Regex NamePattern();
}
