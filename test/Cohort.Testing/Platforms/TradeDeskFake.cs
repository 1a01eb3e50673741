using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// The Trade Desk first-party data endpoint (§3.4): TTD-Auth (401 plain string), <c>additionalProperties:false</c> on
/// the request, items and data (400), exactly one id per item (MissingUserId), Data required with a Name,
/// integer TtlInMinutes (InvalidTtlInMinutes). Failed items come back in FailedLines with 1-based item numbers;
/// memberships expire by TTL on the fake's clock.
/// </summary>
public sealed class TradeDeskFake(TimeProvider time) : FakePlatformServer
{
    public const string Token = "ttd-token";
    public const string AdvertiserId = "adv123x";

    private static readonly HashSet<string> RequestProps = ["AdvertiserId", "DataProviderId", "Items", "DataLoadTraceId"];
    private static readonly HashSet<string> DataProps = ["Name", "TimestampUtc", "TtlInMinutes", "BaseBidCPM", "BidFactor"];
    private readonly Dictionary<string, DateTimeOffset> _expiry = [];

    /// <summary>Item count above which the fake answers 413 (TTD's real limit is not published).</summary>
    public int MaxItems { get; set; } = 2_000;

    public HashSet<string> UnmappedIds { get; } = [];

    /// <summary>Live memberships as <c>segment|IDKIND:value</c>.</summary>
    public IReadOnlySet<string> Members => _expiry.Where(e => e.Value > time.GetUtcNow()).Select(e => e.Key).ToHashSet();

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        if (request.Header("TTD-Auth") != Token) throw Reject(401, "", "Authentication failed.");
        if (request.Method != "POST" || request.Path != "/data/advertiser") throw Reject(404, "", "Not found");
        var body = request.Json as JsonObject ?? throw Reject(400, "ItemDeserializationError", "body is not JSON");
        if (body.Any(p => !RequestProps.Contains(p.Key))) throw Reject(400, "InvalidParameterFormat", "unknown property");
        if ((string?)body["AdvertiserId"] != AdvertiserId) throw Reject(403, "", "Advertiser not accessible.");
        var items = body["Items"] as JsonArray ?? throw Reject(400, "InvalidParameterFormat", "Items is required");
        if (items.Count > MaxItems) throw Reject(413, "", "Request entity too large.");

        var failed = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject;
            var ids = item?.Where(p => p.Key != "Data" && Cohort.Destinations.Platforms.TradeDesk.TradeDeskDestination.IdKinds.Contains(p.Key)).ToList() ?? [];
            if (item is null || item.Any(p => p.Key != "Data" && !Cohort.Destinations.Platforms.TradeDesk.TradeDeskDestination.IdKinds.Contains(p.Key)))
                throw Reject(400, "InvalidParameterFormat", "unknown item property");
            string? error = null;
            if (ids.Count != 1) error = "MissingUserId";
            var data = item["Data"] as JsonArray;
            if (data is null || data.Count == 0) throw Reject(400, "InvalidParameterFormat", "Data is required");
            foreach (var d in data)
            {
                if (d is not JsonObject entry || entry.Any(p => !DataProps.Contains(p.Key)) || string.IsNullOrEmpty((string?)entry["Name"]))
                    throw Reject(400, "InvalidParameterFormat", "Data entries need a Name and only known properties");
                if (entry["TtlInMinutes"] is { } ttl && (ttl.GetValueKind() != System.Text.Json.JsonValueKind.Number || (long)ttl <= 0)) error ??= "InvalidTtlInMinutes";
            }
            var id = ids.Count == 1 ? $"{ids[0].Key}:{(string?)ids[0].Value}" : "";
            if (error is null && UnmappedIds.Contains((string?)ids[0].Value ?? "")) error = "UserNotMapped";
            if (error is not null)
            {
                failed.Add(new JsonObject { ["ItemNumber"] = i + 1, ["DataNumber"] = 1, ["ErrorCode"] = error, ["Message"] = "Item failed: " + error, ["DataName"] = (string?)data[0]?["Name"] });
                continue;
            }
            foreach (var d in data)
            {
                var minutes = (long?)d!["TtlInMinutes"] ?? 30L * 24 * 60;
                _expiry[(string?)d["Name"] + "|" + id] = time.GetUtcNow().AddMinutes(minutes);
            }
        }
        await WriteJsonAsync(response, new JsonObject { ["FailedLines"] = failed });
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        if (status is 401 or 403 or 413)
        {
            response.StatusCode = status;
            response.ContentType = "text/plain";
            return response.WriteAsync(message);
        }
        if (status is 400 or 429 or 200)
        {
            var lines = code is "" or "INJECTED" ? new JsonArray() : new JsonArray(new JsonObject { ["ItemNumber"] = 0, ["ErrorCode"] = code, ["Message"] = message });
            return WriteJsonAsync(response, new JsonObject { ["FailedLines"] = lines }, status);
        }
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
