using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.LinkedIn;

/// <summary>Settings of a LinkedIn DMP segment; <see cref="AccessToken"/> (member token with rw_dmp_segments) is resolved by the caller.</summary>
public sealed record LinkedInSettings(string SegmentId, string AccessToken)
{
    public Uri BaseUrl { get; init; } = new("https://api.linkedin.com/");

    /// <summary>The <c>LinkedIn-Version</c> header (YYYYMM). Default from connector code ([secondary]); versions retire, keep it current.</summary>
    public string Version { get; init; } = "202505";

    /// <summary><c>idType</c> for mobile advertising ids (<c>GOOGLE_AID</c> or <c>APPLE_IDFA</c>); null: mobile ids are not sent.</summary>
    public string? MobileIdType { get; init; }

    /// <summary>Elements per BATCH_CREATE ([not found]; a conservative default).</summary>
    public int MaxElementsPerRequest { get; init; } = 1_000;

    /// <summary>600 requests per minute per member on the users endpoint (§4).</summary>
    public double RequestsPerSecond { get; init; } = 10;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// LinkedIn matched audiences (§4): <c>POST /rest/dmpSegments/{id}/users</c> with <c>X-RestLi-Method: BATCH_CREATE</c>,
/// <c>LinkedIn-Version</c> and <c>X-Restli-Protocol-Version: 2.0.0</c>; each element has <c>action</c> ADD or REMOVE,
/// <c>userIds</c> (SHA256_EMAIL, mobile ids) and optional first/last name. The per-element statuses of the batch
/// response map back to records in order ([secondary]).
/// </summary>
public sealed class LinkedInDestination : PlatformDestination
{
    public const string TypeName = "linkedin-matched-audience";

    private readonly LinkedInSettings _settings;

    public LinkedInDestination(HttpClient http, LinkedInSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (settings.MobileIdType is not (null or "GOOGLE_AID" or "APPLE_IDFA")) throw new ArgumentException("MobileIdType must be GOOGLE_AID or APPLE_IDFA.", nameof(settings));
        _settings = settings;
        var profile = settings.Profile ?? PlatformProfiles.LinkedIn();
        Profile = settings.MobileIdType is null ? profile.Without(IdentifierType.MobileAdvertisingId) : profile;
        Descriptor = new DestinationDescriptor(TypeName, [BatchOperation.Add, BatchOperation.Remove], settings.MaxElementsPerRequest,
            RequestsPerSecond: settings.RequestsPerSecond, Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "LinkedIn";

    protected override IdentifierProfile Profile { get; }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var action = operation == BatchOperation.Add ? "ADD" : "REMOVE";
        var elements = new JsonArray();
        foreach (var record in records)
        {
            var ids = new JsonArray();
            if (record[IdentifierType.Email] is { } email) ids.Add(new JsonObject { ["idType"] = "SHA256_EMAIL", ["idValue"] = email });
            if (record[IdentifierType.MobileAdvertisingId] is { } mobile) ids.Add(new JsonObject { ["idType"] = _settings.MobileIdType, ["idValue"] = mobile });
            var element = new JsonObject { ["action"] = action, ["userIds"] = ids };
            if (record[IdentifierType.FirstName] is { } first) element["firstName"] = first;
            if (record[IdentifierType.LastName] is { } last) element["lastName"] = last;
            elements.Add(element);
        }
        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, $"rest/dmpSegments/{Uri.EscapeDataString(_settings.SegmentId)}/users"), new JsonObject { ["elements"] = elements });
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.AccessToken);
        request.Headers.TryAddWithoutValidation("LinkedIn-Version", _settings.Version);
        request.Headers.TryAddWithoutValidation("X-Restli-Protocol-Version", "2.0.0");
        request.Headers.TryAddWithoutValidation("X-RestLi-Method", "BATCH_CREATE");
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);

        if (string.IsNullOrWhiteSpace(response.Body)) return [.. records.Select(Ok)];
        if (response.Json is not JsonObject json) throw Unreadable(response, "a batch response");
        var statuses = json.Arr("elements");
        if (statuses is null) return [.. records.Select(Ok)];
        var results = new RecordResult[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var element = i < statuses.Count ? statuses[i] : null;
            var status = element.Long("status");
            results[i] = status switch
            {
                null => Pending(records[i], PlatformMessages.NotInResponse(Platform)),
                >= 200 and < 300 => Ok(records[i]),
                429 or >= 500 => Pending(records[i], Reason(records[i], status.ToString(), element.Str("message"))),
                _ => Rejected(records[i], Reason(records[i], status.ToString(), element.Str("message"))),
            };
        }
        return results;
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        var json = response.Json;
        return json is JsonObject ? new VendorError(json.Str("code") ?? json.Str("serviceErrorCode"), json.Str("message")) : VendorError.None;
    }
}
