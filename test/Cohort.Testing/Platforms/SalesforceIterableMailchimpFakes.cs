using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// Salesforce sObject Collections upsert (§9): Bearer token, ≤200 records, all of the URI's type with
/// <c>attributes.type</c>, no <c>Id</c> field, the external id present; results in request order.
/// </summary>
public sealed class SalesforceFake : FakePlatformServer
{
    public const string Token = "00Dxx!good";
    public const string Path = "/services/data/v62.0/composite/sobjects/Contact/Warehouse_Id__c";

    public Dictionary<string, JsonObject> Records { get; } = [];

    public HashSet<string> RejectedKeys { get; } = [];

    public HashSet<string> LockedKeys { get; } = [];

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Bearer " + Token) throw Reject(401, "INVALID_SESSION_ID", "Session expired or invalid");
        if (request.Method != "PATCH" || request.Path != Path) throw Reject(404, "NOT_FOUND", "The requested resource does not exist");
        var records = request.Json?["records"] as JsonArray ?? throw Reject(400, "JSON_PARSER_ERROR", "records is required");
        if (records.Count > 200) throw Reject(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records in this operation");
        var results = new JsonArray();
        foreach (var node in records)
        {
            var record = node as JsonObject ?? throw Reject(400, "JSON_PARSER_ERROR", "records are objects");
            if ((string?)record["attributes"]?["type"] != "Contact") throw Reject(400, "INVALID_TYPE", "all records must be Contact with attributes.type");
            if (record.ContainsKey("Id")) throw Reject(400, "INVALID_FIELD", "Id cannot be set when upserting by external id");
            var key = (string?)record["Warehouse_Id__c"];
            if (string.IsNullOrEmpty(key)) throw Reject(400, "MISSING_ARGUMENT", "Warehouse_Id__c not specified");
            if (RejectedKeys.Contains(key) || LockedKeys.Contains(key))
            {
                var code = LockedKeys.Contains(key) ? "UNABLE_TO_LOCK_ROW" : "FIELD_CUSTOM_VALIDATION_EXCEPTION";
                results.Add(new JsonObject { ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["statusCode"] = code, ["message"] = "record " + key + " failed", ["fields"] = new JsonArray() }) });
                continue;
            }
            var created = !Records.ContainsKey(key);
            if (created) Records[key] = new JsonObject { ["Id"] = "003" + Records.Count.ToString("D15", System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var (name, value) in record)
            {
                if (name != "attributes") Records[key][name] = value?.DeepClone();
            }
            results.Add(new JsonObject { ["id"] = (string?)Records[key]["Id"], ["success"] = true, ["errors"] = new JsonArray(), ["created"] = created });
        }
        response.Headers["Sforce-Limit-Info"] = "api-usage=25/15000";
        await WriteJsonAsync(response, results);
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonArray(new JsonObject { ["message"] = message, ["errorCode"] = code }), status);
}

/// <summary>
/// Iterable (§10): <c>Api-Key</c> header, list subscribe/unsubscribe (known listId, no global channel unsubscribe)
/// and users/bulkUpdate; subscribers need an email or userId; invalid ones are listed in invalidEmails/invalidUserIds.
/// </summary>
public sealed class IterableFake : FakePlatformServer
{
    public const string ApiKey = "iterable-server-key";
    public const long ListId = 98765;

    public Dictionary<string, JsonObject> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> ListMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> InvalidEmails { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int MaxUsers { get; set; } = 1_000;

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Api-Key") != ApiKey) throw Reject(401, "BadApiKey", "Invalid API key");
        var body = request.Json as JsonObject ?? throw Reject(400, "BadJsonBody", "Invalid JSON body");
        var (listKey, users) = request.Path switch
        {
            "/api/lists/subscribe" or "/api/lists/unsubscribe" => ("subscribers", body["subscribers"] as JsonArray),
            "/api/users/bulkUpdate" => ("users", body["users"] as JsonArray),
            _ => throw Reject(404, "NotFound", "Not found"),
        };
        if (users is null) throw Reject(400, "BadParams", listKey + " is required");
        if (users.Count > MaxUsers) throw Reject(400, "BadParams", "too many users");
        var isList = listKey == "subscribers";
        if (isList && (long?)body["listId"] != ListId) throw Reject(400, "BadParams", "listId does not exist");
        if (request.Path.EndsWith("unsubscribe", StringComparison.Ordinal) && (bool?)body["channelUnsubscribe"] == true) throw Reject(400, "BadParams", "the fake refuses global channel unsubscribes");

        var invalidEmails = new JsonArray();
        var invalidUserIds = new JsonArray();
        var success = 0;
        foreach (var user in users)
        {
            var email = (string?)user?["email"];
            var userId = (string?)user?["userId"];
            if (email is null && userId is null) throw Reject(400, "BadParams", "each user needs email or userId");
            if (email is not null && (!email.Contains('@') || InvalidEmails.Contains(email))) { invalidEmails.Add(email); continue; }
            var key = email ?? "userId:" + userId;
            success++;
            if (!Users.TryGetValue(key, out var stored)) Users[key] = stored = [];
            foreach (var (name, value) in user?["dataFields"] as JsonObject ?? []) stored[name] = value?.DeepClone();
            if (request.Path == "/api/lists/subscribe") ListMembers.Add(key);
            if (request.Path == "/api/lists/unsubscribe") ListMembers.Remove(key);
        }
        await WriteJsonAsync(response, new JsonObject
        {
            ["successCount"] = success,
            ["failCount"] = invalidEmails.Count + invalidUserIds.Count,
            ["invalidEmails"] = invalidEmails,
            ["invalidUserIds"] = invalidUserIds,
        });
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonObject { ["msg"] = message, ["code"] = code == "INJECTED" ? "GenericError" : code, ["params"] = null }, status);
}

/// <summary>
/// Mailchimp (§11): HTTP Basic with the API key as password, batch subscribe ≤500 members with a valid
/// status/status_if_new, per-member errors on HTTP 200, static segment add/remove ≤500 per array (400 "Invalid
/// Resource" with the documented message), emails not on the list ignored by segment changes.
/// </summary>
public sealed class MailchimpFake : FakePlatformServer
{
    public const string ApiKey = "0123456789abcdef-us14";
    public const string ListId = "a1b2c3d4e5";
    public const string SegmentId = "4242";

    private static readonly HashSet<string> Statuses = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];

    /// <summary>Members by subscriber hash (MD5 of the lowercase email).</summary>
    public Dictionary<string, JsonObject> Members { get; } = [];

    public HashSet<string> Segment { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> FakeEmails { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject? Member(string email) => Members.GetValueOrDefault(Cohort.Destinations.Identifiers.IdentifierHasher.MailchimpSubscriberHash(email));

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        var auth = request.Header("Authorization") ?? "";
        var password = auth.StartsWith("Basic ", StringComparison.Ordinal) ? Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])).Split(':', 2).ElementAtOrDefault(1) : null;
        if (password != ApiKey && auth != "Bearer " + ApiKey) throw Reject(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        var body = request.Json as JsonObject ?? throw Reject(400, "Invalid Resource", "The resource submitted could not be validated.");
        if (request.Method == "POST" && request.Path == $"/3.0/lists/{ListId}")
        {
            var members = body["members"] as JsonArray ?? throw Reject(400, "Invalid Resource", "members is required");
            if (members.Count > 500) throw Reject(400, "Invalid Resource", "Maximum allowed member items exceeded, please provide at most 500 items in members field");
            var updateExisting = (bool?)body["update_existing"] == true;
            var created = new JsonArray();
            var updated = new JsonArray();
            var errors = new JsonArray();
            foreach (var m in members)
            {
                var email = (string?)m?["email_address"] ?? "";
                var status = (string?)m?["status"];
                var statusIfNew = (string?)m?["status_if_new"];
                if (status is not null && !Statuses.Contains(status) || statusIfNew is not null && !Statuses.Contains(statusIfNew)) throw Reject(400, "Invalid Resource", "unknown status");
                if (!email.Contains('@') || FakeEmails.Contains(email))
                {
                    errors.Add(new JsonObject { ["email_address"] = email, ["error"] = email + " looks fake or invalid, please enter a real email address.", ["error_code"] = "ERROR_FAKE_EMAIL", ["field"] = "email_address" });
                    continue;
                }
                var hash = Cohort.Destinations.Identifiers.IdentifierHasher.MailchimpSubscriberHash(email);
                var exists = Members.TryGetValue(hash, out var member);
                if (exists && !updateExisting)
                {
                    errors.Add(new JsonObject { ["email_address"] = email, ["error"] = email + " is already a list member.", ["error_code"] = "ERROR_CONTACT_EXISTS" });
                    continue;
                }
                if (!exists)
                {
                    var initial = status ?? statusIfNew ?? throw Reject(400, "Invalid Resource", "status is required for new members");
                    Members[hash] = member = new JsonObject { ["email_address"] = email, ["status"] = initial };
                    created.Add(new JsonObject { ["email_address"] = email, ["id"] = hash });
                }
                else
                {
                    if (status is not null) member!["status"] = status;
                    updated.Add(new JsonObject { ["email_address"] = email, ["id"] = hash });
                }
                foreach (var (name, value) in m!["merge_fields"] as JsonObject ?? []) member!["merge_fields." + name] = value?.DeepClone();
            }
            await WriteJsonAsync(response, new JsonObject
            {
                ["new_members"] = created, ["updated_members"] = updated, ["errors"] = errors,
                ["total_created"] = created.Count, ["total_updated"] = updated.Count, ["error_count"] = errors.Count,
            });
            return;
        }
        if (request.Method == "POST" && request.Path == $"/3.0/lists/{ListId}/segments/{SegmentId}")
        {
            var add = body["members_to_add"] as JsonArray ?? [];
            var remove = body["members_to_remove"] as JsonArray ?? [];
            if (add.Count > 500 || remove.Count > 500)
                throw Reject(400, "Invalid Resource", "Maximum allowed member items exceeded, please provide at most 500 items in members_to_add field or members_to_remove field");
            var added = new JsonArray();
            var removed = new JsonArray();
            foreach (var email in add.Select(e => (string?)e ?? ""))
            {
                if (Member(email) is null) continue;
                if (Segment.Add(email)) added.Add(new JsonObject { ["email_address"] = email });
            }
            foreach (var email in remove.Select(e => (string?)e ?? ""))
            {
                if (Segment.Remove(email)) removed.Add(new JsonObject { ["email_address"] = email });
            }
            await WriteJsonAsync(response, new JsonObject
            {
                ["members_added"] = added, ["members_removed"] = removed, ["errors"] = new JsonArray(),
                ["total_added"] = added.Count, ["total_removed"] = removed.Count, ["error_count"] = 0,
            });
            return;
        }
        throw Reject(404, "Resource Not Found", "The requested resource could not be found.");
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message) =>
        WriteJsonAsync(response, new JsonObject
        {
            ["type"] = "https://mailchimp.com/developer/marketing/docs/errors/",
            ["title"] = code == "INJECTED" ? status switch { 401 => "API Key Invalid", 403 => "Forbidden", 429 => "Too Many Requests", >= 500 => "Internal Server Error", _ => "Invalid Resource" } : code,
            ["status"] = status,
            ["detail"] = message,
            ["instance"] = Guid.NewGuid().ToString(),
        }, status, "application/problem+json");
}
