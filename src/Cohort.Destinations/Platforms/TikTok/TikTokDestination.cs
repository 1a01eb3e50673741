using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.TikTok;

/// <summary>Settings of a TikTok audience; <see cref="AccessToken"/> is resolved by the caller.</summary>
public sealed record TikTokSettings(string AdvertiserId, string AudienceId, string AccessToken)
{
    public Uri BaseUrl { get; init; } = new("https://business-api.tiktok.com/");

    /// <summary>Hash phones with the '+' (the official page contradicts itself; its published hash is of digits only: off).</summary>
    public bool PhoneWithPlus { get; init; }

    public string DefaultPhoneRegion { get; init; } = "US";

    /// <summary>The id_schema for mobile advertising ids (e.g. <c>IDFA_SHA256</c>, <c>GAID_SHA256</c>); null: not sent.</summary>
    public string? MobileIdSchema { get; init; }

    /// <summary>Users per segment/mapping request ([not found]).</summary>
    public int MaxUsersPerRequest { get; init; } = 1_000;

    /// <summary>Envelope codes that mean "retry later" (rate limit, server busy); the rate-limit code is [not found].</summary>
    public ImmutableHashSet<long> TransientCodes { get; init; } = [40100, 40200, 50000, 50002];

    /// <summary>Envelope codes that mean bad credentials or permissions.</summary>
    public ImmutableHashSet<long> AuthCodes { get; init; } = [40001, 40102, 40104, 40105];

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// TikTok audiences through the streaming segment API (§5.1, [secondary]: <c>POST /open_api/v1.3/segment/mapping/</c>
/// with <c>action</c> add/delete, an <c>id_schema</c> and one inner array per user aligned to it, <c>{}</c> for a
/// missing id). Auth is the <c>Access-Token</c> header. TikTok answers errors as a non-zero <c>code</c>, often with
/// HTTP 200; codes are classified by <see cref="TikTokSettings.TransientCodes"/> / <see cref="TikTokSettings.AuthCodes"/>.
/// </summary>
public sealed class TikTokDestination : PlatformDestination
{
    public const string TypeName = "tiktok-audience";

    private readonly TikTokSettings _settings;

    public TikTokDestination(HttpClient http, TikTokSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        _settings = settings;
        var profile = settings.Profile ?? PlatformProfiles.TikTok(settings.PhoneWithPlus, settings.DefaultPhoneRegion);
        Profile = settings.MobileIdSchema is null ? profile.Without(IdentifierType.MobileAdvertisingId) : profile;
        Descriptor = new DestinationDescriptor(TypeName, [BatchOperation.Add, BatchOperation.Remove], settings.MaxUsersPerRequest, Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "TikTok";

    protected override IdentifierProfile Profile { get; }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var schema = new List<(IdentifierType Type, string Name)>();
        if (Profile.Rules.ContainsKey(IdentifierType.Email)) schema.Add((IdentifierType.Email, "EMAIL_SHA256"));
        if (Profile.Rules.ContainsKey(IdentifierType.Phone)) schema.Add((IdentifierType.Phone, "PHONE_SHA256"));
        if (_settings.MobileIdSchema is { } mobile) schema.Add((IdentifierType.MobileAdvertisingId, mobile));
        schema.RemoveAll(s => !records.Any(r => r.Identifiers.Has(s.Type)));

        var batch = new JsonArray();
        foreach (var record in records)
        {
            var user = new JsonArray();
            foreach (var (type, _) in schema)
            {
                user.Add(record[type] is { } id
                    ? new JsonObject { ["id"] = id, ["audience_ids"] = new JsonArray(_settings.AudienceId) }
                    : new JsonObject());
            }
            batch.Add(user);
        }
        var body = new JsonObject
        {
            ["advertiser_ids"] = new JsonArray(_settings.AdvertiserId),
            ["action"] = operation == BatchOperation.Add ? "add" : "delete",
            ["id_schema"] = new JsonArray([.. schema.Select(s => (JsonNode)JsonValue.Create(s.Name))]),
            ["batch_data"] = batch,
        };
        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, "open_api/v1.3/segment/mapping/"), body);
        request.Headers.TryAddWithoutValidation("Access-Token", _settings.AccessToken);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var code = response.Json.Long("code");
        if (code is null) throw Unreadable(response, "a TikTok envelope with a code");
        if (code != 0) throw Failure(response);
        return [.. records.Select(Ok)];
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        if (response.Json.Long("code") is not { } code || code == 0) return VendorError.None;
        DestinationErrorClass? errorClass = _settings.TransientCodes.Contains(code) ? DestinationErrorClass.Transient
            : _settings.AuthCodes.Contains(code) ? DestinationErrorClass.AuthOrConfig
            : response.IsSuccess ? DestinationErrorClass.Permanent : null;
        return new VendorError(code.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Json.Str("message"), errorClass);
    }
}
