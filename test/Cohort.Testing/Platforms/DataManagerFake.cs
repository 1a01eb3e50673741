using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// Google Data Manager audienceMembers:ingest / :remove (§1b): Bearer token, ≤10,000 members, ≤10 identifiers per
/// member, a declared encoding (HEX/BASE64) that every hashed value matches (INVALID_HEX_ENCODING otherwise),
/// one field per identifier, region/postal code unhashed. Requests are atomic: any violation refuses the request
/// with BadRequest field violations naming the member.
/// </summary>
public sealed class DataManagerFake : FakePlatformServer
{
    public const string AccessToken = "ya29.dm-token";
    public const string UserListId = "4445556666";

    public HashSet<string> Members { get; } = [];

    public HashSet<string> RejectedValues { get; } = [];

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Bearer " + AccessToken) throw Reject(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
        var ingest = request.Path == "/v1/audienceMembers:ingest";
        if (!ingest && request.Path != "/v1/audienceMembers:remove") throw Reject(404, "NOT_FOUND", "not found");
        var body = request.Json as JsonObject ?? throw Reject(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        var destinations = body["destinations"] as JsonArray;
        if (destinations is null || destinations.Count == 0 || destinations.Any(d => (string?)d?["productDestinationId"] != UserListId || d?["operatingAccount"]?["accountId"] is null))
            throw Reject(400, "INVALID_ARGUMENT", "destinations");
        var encoding = (string?)body["encoding"];
        if (encoding is not ("HEX" or "BASE64")) throw Reject(400, "INVALID_ARGUMENT", "encoding is required for UserData uploads");
        var members = body["audienceMembers"] as JsonArray ?? throw Reject(400, "INVALID_ARGUMENT", "audience_members");
        if (members.Count > 10_000) throw Reject(400, "INVALID_ARGUMENT", "at most 10000 audience members per request");
        if (ingest && body["termsOfService"]?["customerMatchTermsOfServiceStatus"]?.GetValue<string>() != "ACCEPTED")
            throw Reject(400, "INVALID_ARGUMENT", "Customer Match terms of service not accepted");

        var violations = new JsonArray();
        var accepted = new List<string>();
        for (var i = 0; i < members.Count; i++)
        {
            var userData = members[i]?["userData"] ?? members[i]?["compositeData"]?["userData"];
            var ids = userData?["userIdentifiers"] as JsonArray;
            string? reason = null;
            var values = new List<string>();
            if (ids is null || ids.Count == 0) reason = "REQUIRED";
            else if (ids.Count > 10) reason = "TOO_MANY_USER_IDENTIFIERS";
            else
            {
                foreach (var node in ids)
                {
                    if (node is not JsonObject id || id.Count != 1) { reason = "INVALID_ARGUMENT"; break; }
                    var (field, value) = id.First();
                    if (field == "address")
                    {
                        var given = (string?)value?["givenName"];
                        var family = (string?)value?["familyName"];
                        var region = (string?)value?["regionCode"];
                        if (!IsDigest(given, encoding) || !IsDigest(family, encoding)) { reason = "INVALID_HEX_ENCODING"; break; }
                        if (region is not { Length: 2 } || !region.All(char.IsAsciiLetterUpper) || string.IsNullOrEmpty((string?)value?["postalCode"])) { reason = "INVALID_REGION_CODE"; break; }
                        values.Add($"address:{given}|{family}|{region}|{value?["postalCode"]}");
                    }
                    else if (field is "emailAddress" or "phoneNumber")
                    {
                        var text = value?.GetValue<string>();
                        if (!IsDigest(text, encoding)) { reason = encoding == "HEX" ? "INVALID_HEX_ENCODING" : "INVALID_BASE64_ENCODING"; break; }
                        if (RejectedValues.Contains(text!)) { reason = "INVALID_SHA256_FORMAT"; break; }
                        values.Add(field + ":" + text);
                    }
                    else { reason = "INVALID_ARGUMENT"; break; }
                }
            }
            if (reason is null) accepted.AddRange(values);
            else violations.Add(new JsonObject { ["field"] = $"audience_members.audience_members[{i}].user_data.user_identifiers", ["reason"] = reason });
        }
        if (violations.Count > 0)
        {
            await WriteJsonAsync(response, Error(400, "INVALID_ARGUMENT", "There was a problem with the request.", violations), 400);
            return;
        }
        foreach (var value in accepted)
        {
            if (ingest) Members.Add(value);
            else Members.Remove(value);
        }
        await WriteJsonAsync(response, new JsonObject { ["requestId"] = Guid.NewGuid().ToString() });
    }

    private static bool IsDigest(string? value, string encoding)
    {
        if (value is null) return false;
        if (encoding == "HEX") return IsHex64Lower(value);
        var buffer = new byte[48];
        return value.Length == 44 && Convert.TryFromBase64String(value, buffer, out var n) && n == 32;
    }

    private static JsonObject Error(int status, string statusText, string message, JsonArray? violations = null)
    {
        var details = new JsonArray(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo", ["reason"] = statusText, ["domain"] = "datamanager.googleapis.com" });
        if (violations is not null) details.Add(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.BadRequest", ["fieldViolations"] = violations });
        return new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = statusText, ["details"] = details } };
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        var statusText = code != "INJECTED" ? code : status switch { 401 => "UNAUTHENTICATED", 403 => "PERMISSION_DENIED", 429 => "RESOURCE_EXHAUSTED", >= 500 => "UNAVAILABLE", _ => "INVALID_ARGUMENT" };
        return WriteJsonAsync(response, Error(status, statusText, message), status);
    }
}
