using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.Google;

namespace Cohort.Destinations.Platforms.DataManager;

/// <summary>Where Data Manager delivers the members: an operating account and the product destination (user list) id.</summary>
/// <param name="AccountType">The operating account type; the reference marks the enum value (e.g. <c>GOOGLE_ADS</c>) as not verified.</param>
public sealed record DataManagerDestinationRef(string AccountType, string AccountId, string ProductDestinationId)
{
    public string? LoginAccountType { get; init; }

    public string? LoginAccountId { get; init; }
}

/// <summary>Where a member's identifiers go: <c>userData</c> or <c>compositeData.userData</c> (the reference lists both).</summary>
public enum DataManagerMemberShape
{
    UserData,
    CompositeData,
}

/// <summary>Settings of a Google Data Manager audience destination; <see cref="AccessToken"/> is an OAuth token with the datamanager scope, resolved by the caller.</summary>
public sealed record DataManagerSettings(string AccessToken, ImmutableArray<DataManagerDestinationRef> Destinations)
{
    public Uri BaseUrl { get; init; } = new("https://datamanager.googleapis.com/");

    /// <summary>SHA-256 as hex (default) or Base64; declared in the request's <c>encoding</c>.</summary>
    public HashEncoding Encoding { get; init; } = HashEncoding.Sha256Hex;

    /// <summary>Gmail/googlemail dot removal is required by the Data Manager formatting guide (§1b): on by default.</summary>
    public bool RemoveGmailDots { get; init; } = true;

    public string DefaultPhoneRegion { get; init; } = "US";

    /// <summary>Consent sent with ingest requests (null: not sent).</summary>
    public GoogleConsent? Consent { get; init; }

    /// <summary>Sends <c>termsOfService.customerMatchTermsOfServiceStatus: ACCEPTED</c> on ingest.</summary>
    public bool AcceptCustomerMatchTerms { get; init; }

    public DataManagerMemberShape MemberShape { get; init; } = DataManagerMemberShape.UserData;

    /// <summary>At most 10,000 audience members per request (§1b).</summary>
    public int MaxMembersPerRequest { get; init; } = 10_000;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Google Data Manager API audience members (§1b), the successor path for Customer Match:
/// <c>POST /v1/audienceMembers:ingest</c> for adds and <c>:remove</c> for removes. A request is atomic: when Google
/// refuses it for specific members (BadRequest field violations naming <c>audience_members[i]</c>), those records
/// are Rejected with the reason and the others Pending (resent by the engine); any other refusal fails the batch.
/// </summary>
public sealed class DataManagerDestination : PlatformDestination
{
    public const string TypeName = "google-data-manager";

    private readonly DataManagerSettings _settings;

    public DataManagerDestination(HttpClient http, DataManagerSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (settings.Destinations.IsDefaultOrEmpty) throw new ArgumentException("Data Manager needs at least one destination.", nameof(settings));
        if (settings.MaxMembersPerRequest is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(settings), "MaxMembersPerRequest must be 1..10,000.");
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.DataManager(settings.Encoding, settings.RemoveGmailDots, settings.DefaultPhoneRegion);
        Descriptor = new DestinationDescriptor(
            TypeName,
            [BatchOperation.Add, BatchOperation.Remove],
            settings.MaxMembersPerRequest,
            RequestsPerSecond: 5, // 300 requests per minute per project
            MaxConcurrentRequests: 10, // recommended maximum
            Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Google Data Manager";

    protected override IdentifierProfile Profile { get; }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var members = new JsonArray();
        foreach (var record in records) members.Add(Member(record));
        var body = new JsonObject
        {
            ["destinations"] = new JsonArray([.. _settings.Destinations.Select(Destination)]),
            ["audienceMembers"] = members,
            ["encoding"] = _settings.Encoding == HashEncoding.Sha256Base64 ? "BASE64" : "HEX",
        };
        if (operation == BatchOperation.Add)
        {
            if (_settings.Consent is { } consent)
            {
                body["consent"] = new JsonObject { ["adUserData"] = Consent(consent.AdUserData), ["adPersonalization"] = Consent(consent.AdPersonalization) };
            }
            if (_settings.AcceptCustomerMatchTerms) body["termsOfService"] = new JsonObject { ["customerMatchTermsOfServiceStatus"] = "ACCEPTED" };
        }
        var path = operation == BatchOperation.Add ? "v1/audienceMembers:ingest" : "v1/audienceMembers:remove";
        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, path), body);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.AccessToken);
        var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);

        if (response.IsSuccess)
        {
            if (response.Json.Str("requestId") is null) throw Unreadable(response, "an ingest/remove response with a requestId");
            return [.. records.Select(Ok)];
        }
        if (response.StatusCode == 400 && response.Json.Obj("error") is { } error)
        {
            var byMember = GoogleRpcError.Details(error).Where(d => d.OperationIndex is >= 0 && d.OperationIndex < records.Count).ToList();
            if (byMember.Count > 0)
            {
                var results = records.Select(r => Pending(r, "sent in a request Google refused because of other members; not applied")).ToArray();
                foreach (var group in byMember.GroupBy(d => d.OperationIndex!.Value))
                {
                    var record = records[group.Key];
                    results[group.Key] = Rejected(record, string.Join("; ", group.Select(d => Reason(record, d.Code, d.Message))));
                }
                return results;
            }
        }
        throw Failure(response);
    }

    protected override VendorError ReadError(ApiResponse response) => GoogleRpcError.Read(response);

    private JsonObject Member(PreparedRecord record)
    {
        var ids = new JsonArray();
        if (record[IdentifierType.Email] is { } email) ids.Add(new JsonObject { ["emailAddress"] = email });
        if (record[IdentifierType.Phone] is { } phone) ids.Add(new JsonObject { ["phoneNumber"] = phone });
        if (record[IdentifierType.FirstName] is { } first && record[IdentifierType.LastName] is { } last
            && record[IdentifierType.Country] is { } country && record[IdentifierType.ZipCode] is { } zip)
        {
            ids.Add(new JsonObject
            {
                ["address"] = new JsonObject { ["givenName"] = first, ["familyName"] = last, ["regionCode"] = country, ["postalCode"] = zip },
            });
        }
        var userData = new JsonObject { ["userIdentifiers"] = ids };
        return _settings.MemberShape == DataManagerMemberShape.CompositeData
            ? new JsonObject { ["compositeData"] = new JsonObject { ["userData"] = userData } }
            : new JsonObject { ["userData"] = userData };
    }

    private static JsonObject Destination(DataManagerDestinationRef d)
    {
        var node = new JsonObject
        {
            ["operatingAccount"] = new JsonObject { ["accountType"] = d.AccountType, ["accountId"] = d.AccountId },
            ["productDestinationId"] = d.ProductDestinationId,
        };
        if (d.LoginAccountId is not null)
            node["loginAccount"] = new JsonObject { ["accountType"] = d.LoginAccountType ?? d.AccountType, ["accountId"] = d.LoginAccountId };
        return node;
    }

    private static string Consent(ConsentStatus status) => status switch
    {
        ConsentStatus.Granted => "CONSENT_GRANTED",
        ConsentStatus.Denied => "CONSENT_DENIED",
        _ => "CONSENT_STATUS_UNSPECIFIED",
    };
}
