using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// Braze /users/track (§6): Bearer REST key, ≤75 attribute objects (fatal 400), every object needs an identifier
/// (external_id, user_alias, braze_id, email, phone; otherwise a non-fatal error with its index), phones in E.164,
/// <c>_update_existing_only</c> honoured. Rate-limit headers on every response.
/// </summary>
public sealed class BrazeFake(TimeProvider time) : FakePlatformServer
{
    public const string ApiKey = "braze-rest-key";

    private static readonly string[] IdFields = ["external_id", "user_alias", "braze_id", "email", "phone"];

    /// <summary>Users by their identifying <c>field:value</c>, with their attributes.</summary>
    public Dictionary<string, Dictionary<string, JsonNode?>> Users { get; } = [];

    public int MaxObjects { get; set; } = 75;

    public HashSet<string> RejectedValues { get; } = [];

    /// <summary>When set, the next request answers 429 with only X-RateLimit-Reset at this instant.</summary>
    public DateTimeOffset? RateLimitedUntil { get; set; }

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        response.Headers["X-RateLimit-Limit"] = "250000";
        if (RateLimitedUntil is { } until)
        {
            RateLimitedUntil = null;
            response.Headers["X-RateLimit-Remaining"] = "0";
            response.Headers["X-RateLimit-Reset"] = until.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Reject(429, "", "API rate limit exceeded");
        }
        if (request.Header("Authorization") != "Bearer " + ApiKey) throw Reject(401, "", "Invalid API key");
        if (request.Method != "POST" || request.Path != "/users/track") throw Reject(404, "", "Not found");
        var attributes = request.Json?["attributes"] as JsonArray ?? throw Reject(400, "", "Request must contain attributes, events or purchases");
        if (attributes.Count > MaxObjects) throw Reject(400, "", $"Too many attributes objects; the maximum is {MaxObjects}");

        var errors = new JsonArray();
        for (var i = 0; i < attributes.Count; i++)
        {
            var item = attributes[i] as JsonObject;
            var idField = IdFields.FirstOrDefault(f => item?[f] is not null);
            string? problem = null;
            if (item is null || idField is null) problem = "Received object with no user identifier";
            else if (idField == "phone" && !((string?)item["phone"] ?? "").StartsWith('+')) problem = "'phone' is not in E.164 format";
            else if (idField == "email" && (!((string?)item["email"] ?? "").Contains('@') || RejectedValues.Contains((string?)item["email"] ?? ""))) problem = "'email' is not a valid email address";
            else if (RejectedValues.Contains((string?)item[idField!] ?? "")) problem = "rejected by the test";
            if (problem is not null)
            {
                errors.Add(new JsonObject { ["type"] = problem, ["input_array"] = "attributes", ["index"] = i });
                continue;
            }
            var key = idField + ":" + (string?)item![idField!];
            var updateOnly = (bool?)item["_update_existing_only"] ?? true;
            if (!Users.TryGetValue(key, out var user))
            {
                if (updateOnly) continue;
                Users[key] = user = [];
            }
            foreach (var (name, value) in item)
            {
                if (name != idField && !name.StartsWith('_')) user[name] = value?.DeepClone();
            }
        }
        var result = new JsonObject { ["message"] = "success", ["attributes_processed"] = attributes.Count - errors.Count };
        if (errors.Count > 0) result["errors"] = errors;
        await WriteJsonAsync(response, result, 201);
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        if (status == 429 && !response.Headers.ContainsKey("X-RateLimit-Reset"))
            response.Headers["X-RateLimit-Reset"] = time.GetUtcNow().AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteJsonAsync(response, new JsonObject { ["message"] = message, ["errors"] = new JsonArray() }, status);
    }
}

/// <summary>
/// Klaviyo (§7): <c>Klaviyo-API-Key</c> auth, required <c>revision</c> (400), JSON:API content type, correct <c>type</c>
/// strings, ≤10,000 profiles and ≤5 MB per bulk import job (413), ≤100 KB per profile, no null attribute values,
/// ≤1,000 list relationships; bulk import answers 202 with a job, list changes 204.
/// </summary>
public sealed class KlaviyoFake : FakePlatformServer
{
    public const string ApiKey = "pk_live_good";
    public const string ListId = "AbC123";

    private readonly Dictionary<string, string> _idByEmail = [];
    private int _nextId = 1;

    /// <summary>Profiles by id with their attributes.</summary>
    public Dictionary<string, JsonObject> Profiles { get; } = [];

    public HashSet<string> ListMembers { get; } = [];

    public int BulkJobs { get; private set; }

    public HashSet<string> InvalidPhones { get; } = [];

    public IEnumerable<string> ListEmails => ListMembers.Select(id => (string?)Profiles[id]["email"] ?? "");

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Klaviyo-API-Key " + ApiKey) throw Reject(401, "not_authenticated", "Missing or invalid private key.");
        if (string.IsNullOrEmpty(request.Header("revision"))) throw Reject(400, "invalid", "The 'revision' header is required.");
        if (request.Method != "GET" && request.ContentType?.StartsWith("application/vnd.api+json", StringComparison.Ordinal) != true)
            throw Reject(415, "unsupported_media_type", "Content-Type must be application/vnd.api+json");

        if (request.Method == "POST" && request.Path == "/api/profile-bulk-import-jobs")
        {
            if (System.Text.Encoding.UTF8.GetByteCount(request.Body) > 5 * 1024 * 1024) throw Reject(413, "too_large", "Payload exceeds 5 MB");
            var data = request.Json?["data"] as JsonObject;
            if ((string?)data?["type"] != "profile-bulk-import-job") throw Reject(409, "conflict", "data.type must be profile-bulk-import-job");
            var profiles = data!["attributes"]?["profiles"]?["data"] as JsonArray ?? throw Reject(400, "invalid", "profiles are required");
            if (profiles.Count > 10_000) throw Reject(400, "invalid", "At most 10000 profiles per job");
            var lists = (data["relationships"]?["lists"]?["data"] as JsonArray) ?? [];
            if (lists.Any(l => (string?)l?["type"] != "list" || (string?)l["id"] != ListId)) throw Reject(400, "invalid", "unknown list");
            var errors = new JsonArray();
            for (var i = 0; i < profiles.Count; i++)
            {
                var p = profiles[i] as JsonObject;
                if ((string?)p?["type"] != "profile") throw Reject(409, "conflict", "profile type must be 'profile'");
                var attrs = p!["attributes"] as JsonObject ?? throw Reject(400, "invalid", "attributes required");
                if (System.Text.Encoding.UTF8.GetByteCount(p.ToJsonString()) > 100 * 1024) throw Reject(400, "invalid", "profile exceeds 100 KB");
                if (attrs.Any(a => a.Value is null) || (attrs["properties"] as JsonObject)?.Any(a => a.Value is null) == true)
                    throw Reject(400, "invalid", "null values are not allowed in bulk import");
                if (attrs["phone_number"] is { } phone && (!((string?)phone ?? "").StartsWith('+') || InvalidPhones.Contains((string?)phone ?? "")))
                    errors.Add(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["status"] = 400, ["code"] = "invalid", ["title"] = "Invalid input.", ["detail"] = "Invalid phone number format", ["source"] = new JsonObject { ["pointer"] = $"/data/attributes/profiles/data/{i}/attributes/phone_number" } });
            }
            if (errors.Count > 0)
            {
                await WriteJsonAsync(response, new JsonObject { ["errors"] = errors }, 400, "application/vnd.api+json");
                return;
            }
            foreach (var p in profiles)
            {
                var attrs = (JsonObject)p!["attributes"]!;
                var email = (string?)attrs["email"];
                var id = email is not null && _idByEmail.TryGetValue(email, out var known) ? known : "01HX" + _nextId++.ToString("D22", System.Globalization.CultureInfo.InvariantCulture);
                if (email is not null) _idByEmail[email] = id;
                if (!Profiles.TryGetValue(id, out var stored)) Profiles[id] = stored = [];
                foreach (var (name, value) in attrs) stored[name] = value?.DeepClone();
                if (lists.Count > 0) ListMembers.Add(id);
            }
            BulkJobs++;
            await WriteJsonAsync(response, new JsonObject
            {
                ["data"] = new JsonObject { ["type"] = "profile-bulk-import-job", ["id"] = Guid.NewGuid().ToString(), ["attributes"] = new JsonObject { ["status"] = "queued", ["total_count"] = profiles.Count } },
            }, 202, "application/vnd.api+json");
            return;
        }

        if (request.Method == "GET" && request.Path == "/api/profiles")
        {
            var filter = request.Query["filter"].ToString();
            if (!filter.StartsWith("any(email,[", StringComparison.Ordinal)) throw Reject(400, "invalid", "unsupported filter");
            var emails = JsonNode.Parse(filter[10..^1])!.AsArray().Select(e => (string?)e).ToHashSet();
            if (emails.Count > 100) throw Reject(400, "invalid", "at most 100 values in any()");
            var found = Profiles.Where(p => emails.Contains((string?)p.Value["email"]))
                .Select(p => (JsonNode)new JsonObject { ["type"] = "profile", ["id"] = p.Key, ["attributes"] = new JsonObject { ["email"] = (string?)p.Value["email"] } });
            await WriteJsonAsync(response, new JsonObject { ["data"] = new JsonArray([.. found]), ["links"] = new JsonObject() }, 200, "application/vnd.api+json");
            return;
        }

        if (request.Path == $"/api/lists/{ListId}/relationships/profiles" && request.Method is "POST" or "DELETE")
        {
            var items = request.Json?["data"] as JsonArray ?? throw Reject(400, "invalid", "data is required");
            if (items.Count > 1_000) throw Reject(400, "invalid", "At most 1000 profiles per request");
            foreach (var item in items)
            {
                if ((string?)item?["type"] != "profile") throw Reject(409, "conflict", "type must be 'profile'");
                var id = (string?)item["id"] ?? "";
                if (request.Method == "POST") ListMembers.Add(id);
                else ListMembers.Remove(id);
            }
            response.StatusCode = 204;
            return;
        }
        throw Reject(404, "not_found", "Not found");
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["status"] = status, ["code"] = code, ["title"] = "Error", ["detail"] = message, ["source"] = new JsonObject() }),
        }, status, "application/vnd.api+json");
}
