using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Braze;

/// <summary>Settings of a Braze destination; <see cref="ApiKey"/> (REST key with users.track) is resolved by the caller.</summary>
/// <param name="BaseUrl">The instance's REST endpoint, e.g. <c>https://rest.iad-01.braze.com/</c>.</param>
public sealed record BrazeSettings(Uri BaseUrl, string ApiKey)
{
    /// <summary>The boolean custom attribute that marks audience membership (Add sets true, Remove false); null: Add/Remove not offered.</summary>
    public string? AudienceAttribute { get; init; }

    /// <summary>Which identifier names the user, first present wins: external_id, then email, then phone.</summary>
    public ImmutableArray<IdentifierType> IdentifyBy { get; init; } = [IdentifierType.ExternalId, IdentifierType.Email, IdentifierType.Phone];

    /// <summary>Attribute objects per request: 75 on legacy contracts, 50 combined on MAU contracts (§6).</summary>
    public int MaxObjectsPerRequest { get; init; } = 75;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Braze <c>POST /users/track</c> (§6) with <c>Authorization: Bearer</c>: one attribute object per record named by
/// external_id, email or phone, carrying the mapped fields and, for Add/Remove, the audience attribute. Non-fatal
/// errors (<c>errors[]</c> with <c>index</c>) reject the record at that index. A 429 without Retry-After waits for
/// <c>X-RateLimit-Reset</c>.
/// </summary>
public sealed class BrazeDestination : PlatformDestination
{
    public const string TypeName = "braze";

    private readonly BrazeSettings _settings;

    public BrazeDestination(HttpClient http, BrazeSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.Crm("braze");
        BatchOperation[] operations = settings.AudienceAttribute is null
            ? [BatchOperation.Upsert, BatchOperation.Update]
            : [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert, BatchOperation.Update];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxObjectsPerRequest,
            RequestsPerSecond: 1_000, // 3,000 requests per 3 seconds
            MaxConcurrentRequests: 4, Identifiers: [.. settings.IdentifyBy]);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Braze";

    protected override IdentifierProfile Profile { get; }

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers) =>
        _settings.IdentifyBy.Any(identifiers.Has) ? null
        : identifiers.UnusableReason ?? "no usable identifier: Braze names a user by " + string.Join(", ", _settings.IdentifyBy);

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var attributes = new JsonArray();
        foreach (var record in records)
        {
            var type = _settings.IdentifyBy.First(record.Identifiers.Has);
            var item = new JsonObject();
            foreach (var (name, value) in record.Record.Fields) item[name] = ToJson(value);
            item[type switch { IdentifierType.ExternalId => "external_id", IdentifierType.Email => "email", _ => "phone" }] = record[type];
            if (operation is BatchOperation.Add or BatchOperation.Remove) item[_settings.AudienceAttribute!] = operation == BatchOperation.Add;
            item["_update_existing_only"] = operation is BatchOperation.Update or BatchOperation.Remove;
            attributes.Add(item);
        }
        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, "users/track"), new JsonObject { ["attributes"] = attributes });
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.ApiKey);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var message = response.Json.Str("message");
        if (message is null) throw Unreadable(response, "a users/track response");
        if (message != "success") throw Failure(response);

        var results = records.Select(Ok).ToArray();
        foreach (var error in response.Json.Arr("errors") ?? [])
        {
            if (error.Str("input_array") is not (null or "attributes") || error.Long("index") is not { } index || index < 0 || index >= records.Count) continue;
            results[index] = Rejected(records[(int)index], Reason(records[(int)index], null, error.Str("type")));
        }
        return results;
    }

    protected override TimeSpan? PlatformRetryAfter(System.Net.Http.Headers.HttpResponseHeaders headers, DateTimeOffset now) =>
        headers.TryGetValues("X-RateLimit-Reset", out var values) ? RetryAfterParser.FromEpochReset(values.FirstOrDefault(), now) : null;

    protected override VendorError ReadError(ApiResponse response) =>
        response.Json is JsonObject json ? new VendorError(null, json.Str("message")) : VendorError.None;
}
