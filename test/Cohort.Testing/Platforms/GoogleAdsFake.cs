using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// Google Ads OfflineUserDataJobService (contract §1.8): checks the Bearer token and developer-token, the job
/// type, consent, one oneof field per UserIdentifier, ≤20 identifiers per UserData, ≤100,000 per request, hashes
/// as 64 lowercase hex, country codes as two unhashed letters, no create+remove mix in one job, no operations
/// after run, run within 5 days. Members join the list only when the job runs.
/// </summary>
public sealed class GoogleAdsFake(TimeProvider time) : FakePlatformServer
{
    public const string AccessToken = "ya29.good-token";
    public const string DeveloperToken = "dev-token-123";
    public const string CustomerId = "1112223333";
    public const string UserListId = "4445556666";

    private readonly Dictionary<string, Job> _jobs = [];
    private int _nextJob = 700;

    public string UserList => $"customers/{CustomerId}/userLists/{UserListId}";

    /// <summary>The list's members as <c>field:value</c> (e.g. <c>hashedEmail:…</c>, <c>address:fn|ln|US|94043</c>).</summary>
    public HashSet<string> Members { get; } = [];

    public IReadOnlyCollection<Job> Jobs => _jobs.Values;

    /// <summary>Operations with an identifier value in this set fail inside the batch (partial failure).</summary>
    public HashSet<string> RejectedValues { get; } = [];

    public sealed class Job
    {
        public required string Name { get; init; }
        public required bool HasConsent { get; init; }
        public required DateTimeOffset CreatedAt { get; init; }
        public List<(string Kind, List<string> Identifiers)> Operations { get; } = [];
        public bool Ran { get; set; }
        public int AddOperationsRequests { get; set; }
    }

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("Authorization") != "Bearer " + AccessToken)
            throw Reject(401, "authenticationError:OAUTH_TOKEN_INVALID", "Request is missing required authentication credential.");
        if (request.Header("developer-token") != DeveloperToken)
            throw Reject(401, "authenticationError:DEVELOPER_TOKEN_INVALID", "The developer token is not valid.");
        if (request.Method != "POST") throw Reject(404, "NOT_FOUND", "unknown method");
        var body = request.Json as JsonObject ?? throw Reject(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        var path = request.Path;

        if (path.EndsWith($"/customers/{CustomerId}/offlineUserDataJobs:create", StringComparison.Ordinal))
        {
            var job = body["job"] as JsonObject ?? throw Reject(400, "fieldError:REQUIRED", "job is required");
            if ((string?)job["type"] != "CUSTOMER_MATCH_USER_LIST") throw Reject(400, "offlineUserDataJobError:INVALID_JOB_TYPE", "unsupported job type");
            var meta = job["customerMatchUserListMetadata"] as JsonObject ?? throw Reject(400, "fieldError:REQUIRED", "customer_match_user_list_metadata is required");
            if ((string?)meta["userList"] != UserList) throw Reject(400, "offlineUserDataJobError:INVALID_USER_LIST", "The user list does not exist.");
            var consent = meta["consent"] as JsonObject;
            if (consent is not null && ((string?)consent["adUserData"] == "DENIED" || (string?)consent["adPersonalization"] == "DENIED"))
                throw Reject(400, "offlineUserDataJobError:CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", "Consent denied.");
            var name = $"customers/{CustomerId}/offlineUserDataJobs/{_nextJob++}";
            _jobs[name] = new Job { Name = name, HasConsent = consent is not null, CreatedAt = time.GetUtcNow() };
            await WriteJsonAsync(response, new JsonObject { ["resourceName"] = name });
            return;
        }

        var jobName = _jobs.Keys.FirstOrDefault(n => path.EndsWith("/" + n + ":addOperations", StringComparison.Ordinal) || path.EndsWith("/" + n + ":run", StringComparison.Ordinal))
            ?? throw Reject(404, "NOT_FOUND", "Resource not found.");
        var current = _jobs[jobName];
        if (current.Ran) throw Reject(400, "offlineUserDataJobError:INVALID_JOB_STATUS", "The job has already been run.");

        if (path.EndsWith(":run", StringComparison.Ordinal))
        {
            if (time.GetUtcNow() - current.CreatedAt > TimeSpan.FromDays(5)) throw Reject(400, "offlineUserDataJobError:JOB_EXPIRED", "Jobs must run within 5 days of creation.");
            current.Ran = true;
            foreach (var (kind, ids) in current.Operations)
            {
                foreach (var id in ids)
                {
                    if (kind == "create") Members.Add(id);
                    else Members.Remove(id);
                }
            }
            await WriteJsonAsync(response, new JsonObject { ["name"] = $"customers/{CustomerId}/operations/{jobName.GetHashCode(StringComparison.Ordinal):x}" });
            return;
        }

        current.AddOperationsRequests++;
        var operations = body["operations"] as JsonArray ?? throw Reject(400, "fieldError:REQUIRED", "operations is required");
        var total = operations.Sum(o => ((o?["create"] ?? o?["remove"])?["userIdentifiers"] as JsonArray)?.Count ?? 0);
        if (total > 100_000)
            throw Reject(400, "offlineUserDataJobError:TOO_MANY_USER_IDENTIFIERS", "Maximum number of user identifiers allowed per request is 100,000 and per operation is 20.");
        var partial = (bool?)body["enablePartialFailure"] == true;
        var failures = new JsonArray();
        var accepted = new List<(string, List<string>)>();
        for (var i = 0; i < operations.Count; i++)
        {
            var error = CheckOperation(operations[i] as JsonObject, current, out var kind, out var ids);
            if (error is null) { accepted.Add((kind!, ids)); continue; }
            if (!partial) throw Reject(400, error.Value.Code, error.Value.Message);
            failures.Add(new JsonObject
            {
                ["errorCode"] = new JsonObject { [error.Value.Code.Split(':')[0]] = error.Value.Code.Split(':')[1] },
                ["message"] = error.Value.Message,
                ["location"] = new JsonObject
                {
                    ["fieldPathElements"] = new JsonArray(new JsonObject { ["fieldName"] = "operations", ["index"] = i }, new JsonObject { ["fieldName"] = kind ?? "create" }),
                },
            });
        }
        current.Operations.AddRange(accepted);
        var result = new JsonObject();
        if (failures.Count > 0)
        {
            result["partialFailureError"] = new JsonObject
            {
                ["code"] = 3,
                ["message"] = "Multiple errors in ‘details’.",
                ["details"] = new JsonArray(new JsonObject { ["@type"] = "type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure", ["errors"] = failures }),
            };
        }
        await WriteJsonAsync(response, result);
    }

    private (string Code, string Message)? CheckOperation(JsonObject? operation, Job job, out string? kind, out List<string> ids)
    {
        ids = [];
        kind = null;
        if (operation is null || operation.Count != 1 || operation.First().Key is not ("create" or "remove"))
            return ("fieldError:ONE_OF_REQUIRED", "exactly one of create, remove, remove_all");
        kind = operation.First().Key;
        var other = kind == "create" ? "remove" : "create";
        if (job.Operations.Any(o => o.Kind == other)) return ("offlineUserDataJobError:CONFLICTING_OPERATION", "create and remove in one job");
        if (kind == "create" && !job.HasConsent) return ("offlineUserDataJobError:CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", "create operations need consent on the job");
        var identifiers = operation[kind]?["userIdentifiers"] as JsonArray;
        if (identifiers is null || identifiers.Count == 0) return ("fieldError:REQUIRED", "user_identifiers is required");
        if (identifiers.Count > 20) return ("offlineUserDataJobError:TOO_MANY_USER_IDENTIFIERS", "per operation is 20");
        foreach (var node in identifiers)
        {
            if (node is not JsonObject id || id.Count != 1) return ("fieldError:ONE_OF_REQUIRED", "a UserIdentifier has exactly one identifier");
            var (field, value) = id.First();
            switch (field)
            {
                case "hashedEmail" or "hashedPhoneNumber":
                    var hash = value?.GetValue<string>();
                    if (!IsHex64Lower(hash)) return ("offlineUserDataJobError:INVALID_SHA256_FORMAT", "not a SHA-256 hex digest");
                    if (RejectedValues.Contains(hash!)) return ("offlineUserDataJobError:INVALID_SHA256_FORMAT", "rejected by the test");
                    ids.Add(field + ":" + hash);
                    break;
                case "addressInfo":
                    var fn = (string?)value?["hashedFirstName"];
                    var ln = (string?)value?["hashedLastName"];
                    var cc = (string?)value?["countryCode"];
                    var zip = (string?)value?["postalCode"];
                    if (!IsHex64Lower(fn) || !IsHex64Lower(ln)) return ("offlineUserDataJobError:INVALID_SHA256_FORMAT", "names must be hashed");
                    if (cc is not { Length: 2 } || !cc.All(char.IsAsciiLetterUpper)) return ("offlineUserDataJobError:INVALID_COUNTRY_CODE", "country code must be two unhashed letters");
                    if (string.IsNullOrEmpty(zip) || IsHex64Lower(zip)) return ("offlineUserDataJobError:INCOMPATIBLE_UPLOAD_KEY_TYPE", "postal code is not hashed");
                    ids.Add($"address:{fn}|{ln}|{cc}|{zip}");
                    break;
                case "mobileId" or "thirdPartyUserId":
                    var raw = value?.GetValue<string>();
                    if (string.IsNullOrEmpty(raw)) return ("fieldError:REQUIRED", "empty id");
                    if (RejectedValues.Contains(raw)) return ("offlineUserDataJobError:INVALID_MOBILE_ID_FORMAT", "rejected by the test");
                    ids.Add(field + ":" + raw);
                    break;
                default:
                    return ("fieldError:UNKNOWN_FIELD", "unknown identifier field");
            }
        }
        return null;
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        var parts = code.Split(':');
        var details = new JsonArray();
        if (parts.Length == 2)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure",
                ["errors"] = new JsonArray(new JsonObject { ["errorCode"] = new JsonObject { [parts[0]] = parts[1] }, ["message"] = message }),
            });
        }
        var statusText = status switch { 401 => "UNAUTHENTICATED", 403 => "PERMISSION_DENIED", 404 => "NOT_FOUND", 429 => "RESOURCE_EXHAUSTED", >= 500 => "UNAVAILABLE", _ => "INVALID_ARGUMENT" };
        return WriteJsonAsync(response, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = statusText, ["details"] = details },
        }, status);
    }
}
