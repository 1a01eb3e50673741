using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Google;

public enum ConsentStatus
{
    Granted,
    Denied,
    Unspecified,
}

/// <summary>The EU user consent the advertiser declares for uploaded data (Google Ads: required on create jobs).</summary>
public sealed record GoogleConsent(ConsentStatus AdUserData, ConsentStatus AdPersonalization);

/// <summary>
/// Settings of a Google Ads Customer Match destination. Secrets (<see cref="AccessToken"/>, <see cref="DeveloperToken"/>)
/// are passed in resolved by the caller (environment or secret store).
/// </summary>
public sealed record GoogleAdsSettings(string CustomerId, string UserListId, string DeveloperToken, string AccessToken, GoogleConsent Consent)
{
    public Uri BaseUrl { get; init; } = new("https://googleads.googleapis.com/");

    /// <summary>Google Ads API version in the path; versions sunset, keep it current.</summary>
    public string ApiVersion { get; init; } = "v24";

    /// <summary>The manager account (digits) to act through, sent as <c>login-customer-id</c>.</summary>
    public string? LoginCustomerId { get; init; }

    /// <summary>Remove dots before @gmail.com / @googlemail.com; "not required" for Google Ads (§1.5), off by default.</summary>
    public bool RemoveGmailDots { get; init; }

    public string DefaultPhoneRegion { get; init; } = "US";

    /// <summary>Identifiers per addOperations request: 10,000 recommended, 100,000 the hard maximum (§1.1).</summary>
    public int MaxIdentifiersPerRequest { get; init; } = 10_000;

    /// <summary>Overrides the identifier profile (default <see cref="PlatformProfiles.GoogleAds"/>).</summary>
    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Google Ads Customer Match through OfflineUserDataJobService (§1): the first Add (or Remove) batch of a run
/// creates a job, each batch is one <c>addOperations</c> request with partial failure enabled, and
/// <see cref="CompleteAsync"/> runs the jobs. Adds and removes go to separate jobs (mixing them raises
/// CONFLICTING_OPERATION). The descriptor says <see cref="DestinationDescriptor.CommitOnComplete"/>: nothing
/// reaches the list until the job runs.
/// </summary>
public sealed class GoogleAdsCustomerMatchDestination : PlatformDestination
{
    public const string TypeName = "google-ads-customer-match";

    /// <summary>The most identifiers one UserData of ours carries: email, phone, address, mobile id, third-party id.</summary>
    private const int MaxIdentifiersPerRecord = 5;

    private readonly GoogleAdsSettings _settings;
    private readonly string _customerId;
    private readonly Dictionary<BatchOperation, string> _jobs = [];

    public GoogleAdsCustomerMatchDestination(HttpClient http, GoogleAdsSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        _settings = settings;
        _customerId = Digits(settings.CustomerId);
        if (settings.MaxIdentifiersPerRequest is < MaxIdentifiersPerRecord or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(settings), "MaxIdentifiersPerRequest must be between 5 and 100,000 (Google Ads' hard limit).");
        Profile = settings.Profile ?? PlatformProfiles.GoogleAds(settings.RemoveGmailDots, settings.DefaultPhoneRegion);
        Descriptor = new DestinationDescriptor(
            TypeName,
            [BatchOperation.Add, BatchOperation.Remove],
            MaxRecordsPerBatch: settings.MaxIdentifiersPerRequest / MaxIdentifiersPerRecord,
            MaxConcurrentRequests: 1, // concurrent changes to one list raise CONCURRENT_MODIFICATION
            Identifiers: Profile.Types)
        {
            CommitOnComplete = true,
        };
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Google Ads";

    protected override IdentifierProfile Profile { get; }

    private string UserListResource => $"customers/{_customerId}/userLists/{Digits(_settings.UserListId)}";

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var job = await JobAsync(operation, cancellationToken).ConfigureAwait(false);
        var kind = operation == BatchOperation.Add ? "create" : "remove";
        var operations = new JsonArray();
        foreach (var record in records)
        {
            operations.Add(new JsonObject { [kind] = new JsonObject { ["userIdentifiers"] = UserIdentifiers(record) } });
        }
        var body = new JsonObject { ["enablePartialFailure"] = true, ["operations"] = operations };
        var response = await SendAsync(Request(HttpMethod.Post, $"{_settings.ApiVersion}/{job}:addOperations", body), cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonObject json) throw Unreadable(response, "an AddOfflineUserDataJobOperationsResponse");

        var results = records.Select(Ok).ToArray();
        if (json.Obj("partialFailureError") is { } failure)
        {
            var details = GoogleRpcError.Details(failure);
            foreach (var group in details.Where(d => d.OperationIndex is >= 0 && d.OperationIndex < records.Count).GroupBy(d => d.OperationIndex!.Value))
            {
                var record = records[group.Key];
                results[group.Key] = Rejected(record, string.Join("; ", group.Select(d => Reason(record, d.Code, d.Message))));
            }
        }
        return results;
    }

    /// <summary>Runs the jobs this run created; Google then processes them asynchronously (the list updates within hours).</summary>
    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var (operation, job) in _jobs.OrderBy(j => j.Key).ToList())
        {
            try
            {
                await SendAsync(Request(HttpMethod.Post, $"{_settings.ApiVersion}/{job}:run", new JsonObject()), cancellationToken).ConfigureAwait(false);
            }
            catch (DestinationException e) when (!e.IsTransient)
            {
                // A job that cannot run (expired, already run, refused) is dropped: the next run creates a new one
                // and the engine re-sends the rows it never committed.
                _jobs.Remove(operation);
                throw;
            }
            _jobs.Remove(operation);
        }
    }

    protected override VendorError ReadError(ApiResponse response) => GoogleRpcError.Read(response);

    private async Task<string> JobAsync(BatchOperation operation, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(operation, out var existing)) return existing;
        var metadata = new JsonObject { ["userList"] = UserListResource };
        if (operation == BatchOperation.Add)
        {
            metadata["consent"] = new JsonObject
            {
                ["adUserData"] = Consent(_settings.Consent.AdUserData),
                ["adPersonalization"] = Consent(_settings.Consent.AdPersonalization),
            };
        }
        var body = new JsonObject
        {
            ["job"] = new JsonObject { ["type"] = "CUSTOMER_MATCH_USER_LIST", ["customerMatchUserListMetadata"] = metadata },
        };
        var response = await SendAsync(Request(HttpMethod.Post, $"{_settings.ApiVersion}/customers/{_customerId}/offlineUserDataJobs:create", body), cancellationToken).ConfigureAwait(false);
        var job = response.Json.Str("resourceName");
        if (string.IsNullOrEmpty(job)) throw Unreadable(response, "a CreateOfflineUserDataJobResponse");
        _jobs[operation] = job;
        return job;
    }

    private static JsonArray UserIdentifiers(PreparedRecord record)
    {
        var ids = new JsonArray();
        if (record[IdentifierType.Email] is { } email) ids.Add(new JsonObject { ["hashedEmail"] = email });
        if (record[IdentifierType.Phone] is { } phone) ids.Add(new JsonObject { ["hashedPhoneNumber"] = phone });
        if (record[IdentifierType.FirstName] is { } first && record[IdentifierType.LastName] is { } last
            && record[IdentifierType.Country] is { } country && record[IdentifierType.ZipCode] is { } zip)
        {
            ids.Add(new JsonObject
            {
                ["addressInfo"] = new JsonObject { ["hashedFirstName"] = first, ["hashedLastName"] = last, ["countryCode"] = country, ["postalCode"] = zip },
            });
        }
        if (record[IdentifierType.MobileAdvertisingId] is { } mobile) ids.Add(new JsonObject { ["mobileId"] = mobile });
        if (record[IdentifierType.ExternalId] is { } external) ids.Add(new JsonObject { ["thirdPartyUserId"] = external });
        return ids;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, JsonNode body)
    {
        var request = Json(method, Combine(_settings.BaseUrl, path), body);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.AccessToken);
        request.Headers.TryAddWithoutValidation("developer-token", _settings.DeveloperToken);
        if (!string.IsNullOrEmpty(_settings.LoginCustomerId)) request.Headers.TryAddWithoutValidation("login-customer-id", Digits(_settings.LoginCustomerId));
        return request;
    }

    private static string Consent(ConsentStatus status) => status switch
    {
        ConsentStatus.Granted => "GRANTED",
        ConsentStatus.Denied => "DENIED",
        _ => "UNSPECIFIED",
    };

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));
}
