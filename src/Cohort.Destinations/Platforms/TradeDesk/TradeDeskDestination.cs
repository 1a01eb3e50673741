using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.TradeDesk;

/// <summary>How an audience exit is expressed: The Trade Desk documents no per-id removal (§3.1, [not found]).</summary>
public enum TradeDeskRemoval
{
    /// <summary>Remove is not offered; memberships end by their TTL (set <see cref="TradeDeskSettings.TtlInMinutes"/>).</summary>
    NotSupported,
    /// <summary>Remove re-posts the id with a short TTL (<see cref="TradeDeskSettings.RemovalTtlMinutes"/>) so it expires soon. Not a documented removal.</summary>
    ExpireWithShortTtl,
}

/// <summary>Settings of a Trade Desk first-party data destination; <see cref="AuthToken"/> is resolved by the caller.</summary>
public sealed record TradeDeskSettings(string AdvertiserId, string AuthToken, string SegmentName)
{
    /// <summary>The data-center host (the spec's server is usw-data; other regions exist).</summary>
    public Uri BaseUrl { get; init; } = new("https://usw-data.adsrvr.org/");

    public string? DataProviderId { get; init; }

    /// <summary>Membership TTL sent with each id (null: TTD's default).</summary>
    public int? TtlInMinutes { get; init; }

    /// <summary>The id field the external id goes to: TDID, UID2, EUID, RampID, ID5, … (raw ids; UID2s are case-sensitive).</summary>
    public string ExternalIdKind { get; init; } = "TDID";

    /// <summary>The id field for mobile advertising ids.</summary>
    public string MobileIdKind { get; init; } = "DAID";

    public TradeDeskRemoval Removal { get; init; } = TradeDeskRemoval.NotSupported;

    public int RemovalTtlMinutes { get; init; } = 1;

    /// <summary>Records per request ([not found] in TTD's public material; each record is one or two items).</summary>
    public int MaxRecordsPerRequest { get; init; } = 1_000;

    /// <summary>Whether <c>FailedLines[].ItemNumber</c> counts from 1 or 0 ([not found]; 1 assumed).</summary>
    public int ItemNumberBase { get; init; } = 1;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// The Trade Desk first-party data (§3.1): <c>POST /data/advertiser</c> with <c>TTD-Auth</c>, one item per id (a
/// record with a mobile id and an external id becomes two items) each carrying the segment as <c>Data[].Name</c>.
/// <c>FailedLines</c> map back to records by item number.
/// </summary>
public sealed class TradeDeskDestination : PlatformDestination
{
    public const string TypeName = "the-trade-desk";

    public static readonly IReadOnlySet<string> IdKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "TDID", "DAID", "UID2", "UID2Token", "RampID", "CoreID", "EUID", "EUIDToken", "ID5", "NetID", "FirstID", "UtiqID", "MerkuryID", "RealID", "IqviaPPID",
    };

    private readonly TradeDeskSettings _settings;

    public TradeDeskDestination(HttpClient http, TradeDeskSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (!IdKinds.Contains(settings.ExternalIdKind) || !IdKinds.Contains(settings.MobileIdKind))
            throw new ArgumentException("ExternalIdKind and MobileIdKind must be id fields of the AdvertiserDataRequest item.", nameof(settings));
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.TradeDeskFirstParty();
        BatchOperation[] operations = settings.Removal == TradeDeskRemoval.NotSupported ? [BatchOperation.Add] : [BatchOperation.Add, BatchOperation.Remove];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxRecordsPerRequest, Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "The Trade Desk";

    protected override IdentifierProfile Profile { get; }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var items = new JsonArray();
        var owner = new List<int>();
        var ttl = operation == BatchOperation.Remove ? _settings.RemovalTtlMinutes : _settings.TtlInMinutes;
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var (type, kind) in new[] { (IdentifierType.MobileAdvertisingId, _settings.MobileIdKind), (IdentifierType.ExternalId, _settings.ExternalIdKind) })
            {
                if (records[i][type] is not { } id) continue;
                var data = new JsonObject { ["Name"] = _settings.SegmentName };
                if (ttl is { } minutes) data["TtlInMinutes"] = minutes;
                items.Add(new JsonObject { [kind] = id, ["Data"] = new JsonArray(data) });
                owner.Add(i);
            }
        }
        var body = new JsonObject { ["AdvertiserId"] = _settings.AdvertiserId, ["Items"] = items };
        if (_settings.DataProviderId is not null) body["DataProviderId"] = _settings.DataProviderId;

        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, "data/advertiser"), body);
        request.Headers.TryAddWithoutValidation("TTD-Auth", _settings.AuthToken);
        var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);

        if (response.StatusCode is 200 or 400 && (response.IsSuccess || FailedLines(response)?.Count > 0))
        {
            JsonArray? failed = null;
            if (!string.IsNullOrWhiteSpace(response.Body))
            {
                if (response.Json is not JsonObject json) throw Unreadable(response, "an AdvertiserDataResponse");
                failed = json.Arr("FailedLines");
            }
            var results = records.Select(Ok).ToArray();
            var anyMapped = false;
            foreach (var line in failed ?? [])
            {
                var item = (int)(line.Long("ItemNumber") ?? -1) - _settings.ItemNumberBase;
                if (item < 0 || item >= owner.Count) continue;
                anyMapped = true;
                var index = owner[item];
                results[index] = Rejected(records[index], Reason(records[index], line.Str("ErrorCode"), line.Str("Message")));
            }
            if (response.IsSuccess) return results;
            if (anyMapped)
            {
                // A 400 listing failed lines: the other records' fate is unknown, so they are resent (adds are idempotent).
                for (var i = 0; i < results.Length; i++)
                {
                    if (results[i].Outcome == RecordOutcome.Succeeded) results[i] = Pending(records[i], "sent in a request The Trade Desk refused because of other items");
                }
                return results;
            }
        }
        throw Failure(response);
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        var first = FailedLines(response)?.FirstOrDefault();
        if (first is not null) return new VendorError(first.Str("ErrorCode"), first.Str("Message"));
        // 401/403/413 carry a plain string.
        return response.Json is null && response.Body.Length is > 0 and < 300 ? new VendorError(null, response.Body.Trim()) : VendorError.None;
    }

    private static JsonArray? FailedLines(ApiResponse response) => response.Json.Arr("FailedLines");
}
