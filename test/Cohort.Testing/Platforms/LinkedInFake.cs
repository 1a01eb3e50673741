using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// LinkedIn DMP segment users (§4): Bearer token, required <c>LinkedIn-Version</c>, <c>X-Restli-Protocol-Version: 2.0.0</c>
/// and <c>X-RestLi-Method: BATCH_CREATE</c>; elements need an ADD/REMOVE action and userIds or first+last name;
/// known idTypes only; SHA256_EMAIL must be 64 hex. Per-element statuses in request order.
/// </summary>
public sealed class LinkedInFake : FakePlatformServer
{
    public const string Token = "li-token";
    public const string SegmentId = "987654";

    private static readonly HashSet<string> IdTypes = ["SHA256_EMAIL", "SHA512_EMAIL", "GOOGLE_AID", "APPLE_IDFA"];

    public HashSet<string> Members { get; } = [];

    public HashSet<string> RejectedValues { get; } = [];

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Bearer " + Token) throw Reject(401, "INVALID_ACCESS_TOKEN", "Invalid access token");
        if (string.IsNullOrEmpty(request.Header("LinkedIn-Version")) || request.Header("LinkedIn-Version")!.Length != 6)
            throw Reject(400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.");
        if (request.Header("X-Restli-Protocol-Version") != "2.0.0") throw Reject(400, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required");
        if (request.Header("X-RestLi-Method") != "BATCH_CREATE") throw Reject(400, "ILLEGAL_ARGUMENT", "X-RestLi-Method BATCH_CREATE is required");
        if (request.Method != "POST" || request.Path != $"/rest/dmpSegments/{SegmentId}/users") throw Reject(404, "NOT_FOUND", "Not found");
        var elements = request.Json?["elements"] as JsonArray ?? throw Reject(400, "ILLEGAL_ARGUMENT", "elements is required");

        var statuses = new JsonArray();
        foreach (var node in elements)
        {
            var action = (string?)node?["action"];
            if (action is not ("ADD" or "REMOVE")) throw Reject(400, "ILLEGAL_ARGUMENT", "action must be ADD or REMOVE");
            var ids = node!["userIds"] as JsonArray ?? [];
            var hasName = !string.IsNullOrEmpty((string?)node["firstName"]) && !string.IsNullOrEmpty((string?)node["lastName"]);
            if (ids.Count == 0 && !hasName) throw Reject(400, "ILLEGAL_ARGUMENT", "an element needs userIds or firstName and lastName");
            var keys = new List<string>();
            var rejected = false;
            foreach (var id in ids)
            {
                var type = (string?)id?["idType"];
                var value = (string?)id?["idValue"];
                if (type is null || !IdTypes.Contains(type)) throw Reject(400, "ILLEGAL_ARGUMENT", "unknown idType");
                if (type == "SHA256_EMAIL" && !IsHex64Lower(value)) throw Reject(400, "ILLEGAL_ARGUMENT", "SHA256_EMAIL must be a SHA-256 hex digest");
                if (RejectedValues.Contains(value ?? "")) rejected = true;
                keys.Add(type + ":" + value);
            }
            if (hasName) keys.Add($"NAME:{node["firstName"]}|{node["lastName"]}");
            if (rejected)
            {
                statuses.Add(new JsonObject { ["status"] = 400, ["message"] = "Invalid user id" });
                continue;
            }
            foreach (var key in keys)
            {
                if (action == "ADD") Members.Add(key);
                else Members.Remove(key);
            }
            statuses.Add(new JsonObject { ["status"] = 201 });
        }
        await WriteJsonAsync(response, new JsonObject { ["elements"] = statuses });
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonObject { ["status"] = status, ["serviceErrorCode"] = 100, ["code"] = code, ["message"] = message }, status);
}

/// <summary>
/// TikTok segment mapping (§5): <c>Access-Token</c> header, envelope <c>{code,message,request_id,data}</c> with errors
/// as non-zero codes on HTTP 200, action add/delete, id_schema of known SHA-256 schemas, each user aligned to the
/// schema with <c>{}</c> for a missing id, hashed ids as 64 lowercase hex.
/// </summary>
public sealed class TikTokFake : FakePlatformServer
{
    public const string Token = "tt-token";
    public const string AdvertiserId = "7000000000000000001";
    public const string AudienceId = "123456789";

    private static readonly HashSet<string> Schemas = ["EMAIL_SHA256", "PHONE_SHA256", "IDFA_SHA256", "GAID_SHA256", "IDFA_MD5", "GAID_MD5"];

    public HashSet<string> Members { get; } = [];

    /// <summary>Answer every request with this envelope code on HTTP 200 (0: normal behaviour).</summary>
    public long ForcedCode { get; set; }

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Access-Token") != Token) throw Reject(200, "40105", "The access token is invalid or has been revoked.");
        if (ForcedCode != 0) throw Reject(200, ForcedCode.ToString(System.Globalization.CultureInfo.InvariantCulture), "forced by the test");
        if (request.Method != "POST" || request.Path != "/open_api/v1.3/segment/mapping/") throw Reject(404, "40400", "Not found");
        var body = request.Json as JsonObject ?? throw Reject(200, "40002", "invalid JSON");
        if ((body["advertiser_ids"] as JsonArray)?.Any(a => (string?)a == AdvertiserId) != true) throw Reject(200, "40001", "No permission to operate advertiser");
        var action = (string?)body["action"];
        if (action is not ("add" or "delete")) throw Reject(200, "40002", "action must be add or delete");
        var schema = (body["id_schema"] as JsonArray)?.Select(s => (string?)s).ToList() ?? [];
        if (schema.Count == 0 || schema.Any(s => s is null || !Schemas.Contains(s))) throw Reject(200, "40002", "invalid id_schema");
        var data = body["batch_data"] as JsonArray ?? throw Reject(200, "40002", "batch_data is required");
        foreach (var user in data)
        {
            if (user is not JsonArray ids || ids.Count != schema.Count) throw Reject(200, "40002", "each user must align with id_schema");
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is not JsonObject id) throw Reject(200, "40002", "ids are objects");
                if (id.Count == 0) continue;
                var value = (string?)id["id"];
                if (schema[i]!.EndsWith("SHA256", StringComparison.Ordinal) && !IsHex64Lower(value)) throw Reject(200, "40002", "id must be a SHA-256 hex digest");
                if ((id["audience_ids"] as JsonArray)?.Any(a => (string?)a == AudienceId) != true) throw Reject(200, "40002", "unknown audience id");
                var key = schema[i] + ":" + value;
                if (action == "add") Members.Add(key);
                else Members.Remove(key);
            }
        }
        await WriteJsonAsync(response, new JsonObject { ["code"] = 0, ["message"] = "OK", ["request_id"] = Guid.NewGuid().ToString("N"), ["data"] = new JsonObject() });
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        if (code == "INJECTED") code = status switch { 401 => "40105", 403 => "40001", 429 => "40100", >= 500 => "50000", _ => "40002" };
        return WriteJsonAsync(response, new JsonObject
        {
            ["code"] = long.Parse(code, System.Globalization.CultureInfo.InvariantCulture),
            ["message"] = message,
            ["request_id"] = Guid.NewGuid().ToString("N"),
            ["data"] = new JsonObject(),
        }, status);
    }
}
