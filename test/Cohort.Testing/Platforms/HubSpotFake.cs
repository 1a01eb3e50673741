using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// HubSpot (§8): Bearer token, batch upsert ≤100 inputs without duplicate ids and with a unique idProperty, 207
/// Multi-Status with errors naming the failed ids, batch read, list memberships only on MANUAL/SNAPSHOT lists and
/// only with numeric record ids (response spelled <c>recordsIdsAdded</c>).
/// </summary>
public sealed class HubSpotFake : FakePlatformServer
{
    public const string Token = "pat-na1-good";
    public const string ListId = "123";
    public const string DynamicListId = "456";

    private static readonly HashSet<string> UniqueProperties = ["email", "warehouse_id"];
    private long _nextId = 51;

    /// <summary>Contacts by record id.</summary>
    public Dictionary<string, JsonObject> Contacts { get; } = [];

    public HashSet<string> ListMembers { get; } = [];

    public HashSet<string> RejectedValues { get; } = [];

    public IEnumerable<string> ListEmails => ListMembers.Select(id => (string?)Contacts[id]["email"] ?? "");

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Bearer " + Token) throw Reject(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
        var path = request.Path;
        if (request.Method == "POST" && path is "/crm/v3/objects/contacts/batch/upsert" or "/crm/v3/objects/contacts/batch/read")
        {
            var body = request.Json as JsonObject ?? throw Reject(400, "VALIDATION_ERROR", "Invalid input JSON");
            var inputs = body["inputs"] as JsonArray ?? throw Reject(400, "VALIDATION_ERROR", "inputs is required");
            if (inputs.Count > 100) throw Reject(400, "VALIDATION_ERROR", "Batch input is limited to 100 inputs");
            var upsert = path.EndsWith("upsert", StringComparison.Ordinal);
            var results = new JsonArray();
            var errors = new JsonArray();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var readProperty = (string?)body["idProperty"];
            foreach (var input in inputs)
            {
                var idProperty = upsert ? (string?)input?["idProperty"] : readProperty;
                var id = (string?)input?["id"] ?? "";
                if (idProperty is null || !UniqueProperties.Contains(idProperty)) throw Reject(400, "VALIDATION_ERROR", "idProperty must be a unique property");
                if (!seen.Add(id)) throw Reject(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input");
                var existing = Contacts.FirstOrDefault(c => string.Equals((string?)c.Value[idProperty], id, StringComparison.OrdinalIgnoreCase)).Key;
                if (!upsert)
                {
                    if (existing is null) errors.Add(new JsonObject { ["status"] = "error", ["category"] = "OBJECT_NOT_FOUND", ["message"] = "Could not get some objects", ["context"] = new JsonObject { ["ids"] = new JsonArray(id) } });
                    else results.Add(new JsonObject { ["id"] = existing, ["properties"] = new JsonObject { [idProperty] = (string?)Contacts[existing][idProperty] } });
                    continue;
                }
                if (RejectedValues.Contains(id))
                {
                    errors.Add(new JsonObject { ["status"] = "error", ["category"] = "VALIDATION_ERROR", ["message"] = "Property values were not valid", ["context"] = new JsonObject { ["ids"] = new JsonArray(id) } });
                    continue;
                }
                var isNew = existing is null;
                existing ??= (_nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!Contacts.TryGetValue(existing, out var contact)) Contacts[existing] = contact = [];
                foreach (var (name, value) in input!["properties"] as JsonObject ?? []) contact[name] = value?.DeepClone();
                contact[idProperty] = id;
                results.Add(new JsonObject { ["id"] = existing, ["new"] = isNew, ["properties"] = contact.DeepClone(), ["archived"] = false });
            }
            var reply = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["requestedAt"] = "2026-11-01T12:00:00Z", ["startedAt"] = "2026-11-01T12:00:00Z", ["completedAt"] = "2026-11-01T12:00:01Z" };
            if (errors.Count > 0) { reply["errors"] = errors; reply["numErrors"] = errors.Count; }
            await WriteJsonAsync(response, reply, errors.Count > 0 ? 207 : 200);
            return;
        }
        if (request.Method == "PUT" && path.StartsWith("/crm/v3/lists/", StringComparison.Ordinal) && (path.EndsWith("/memberships/add", StringComparison.Ordinal) || path.EndsWith("/memberships/remove", StringComparison.Ordinal)))
        {
            var list = path.Split('/')[4];
            if (list == DynamicListId) throw Reject(400, "VALIDATION_ERROR", "List memberships can only be changed on MANUAL or SNAPSHOT lists");
            if (list != ListId) throw Reject(404, "OBJECT_NOT_FOUND", "List not found");
            var ids = request.Json as JsonArray ?? throw Reject(400, "VALIDATION_ERROR", "body must be an array of record ids");
            var values = ids.Select(i => (string?)i ?? "").ToList();
            if (values.Any(v => v.Length == 0 || !v.All(char.IsAsciiDigit))) throw Reject(400, "VALIDATION_ERROR", "record ids must be numeric");
            var add = path.EndsWith("/add", StringComparison.Ordinal);
            var missing = values.Where(v => !Contacts.ContainsKey(v)).ToList();
            var changed = values.Where(Contacts.ContainsKey).Where(v => add ? ListMembers.Add(v) : ListMembers.Remove(v)).ToList();
            var reply = new JsonObject { ["recordIdsMissing"] = new JsonArray([.. missing.Select(m => (JsonNode)JsonValue.Create(m))]) };
            reply[add ? "recordsIdsAdded" : "recordIdsRemoved"] = new JsonArray([.. changed.Select(m => (JsonNode)JsonValue.Create(m))]);
            await WriteJsonAsync(response, reply);
            return;
        }
        throw Reject(404, "OBJECT_NOT_FOUND", "Not found");
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["category"] = code == "INJECTED" ? status switch { 401 => "INVALID_AUTHENTICATION", 403 => "MISSING_SCOPES", 429 => "RATE_LIMITS", _ => "VALIDATION_ERROR" } : code,
        }, status);
}
