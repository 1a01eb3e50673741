using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Klaviyo;

/// <summary>Settings of a Klaviyo destination; <see cref="ApiKey"/> (private key with profiles:write, lists:write) is resolved by the caller.</summary>
public sealed record KlaviyoSettings(string ApiKey)
{
    public Uri BaseUrl { get; init; } = new("https://a.klaviyo.com/");

    /// <summary>The required <c>revision</c> header (API version date).</summary>
    public string Revision { get; init; } = "2026-04-15";

    /// <summary>The list audience members join; null: only Upsert is offered.</summary>
    public string? ListId { get; init; }

    /// <summary>Profiles per bulk import job: at most 10,000 (§7).</summary>
    public int MaxProfilesPerRequest { get; init; } = 10_000;

    public string DefaultPhoneRegion { get; init; } = "US";

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Klaviyo (§7), JSON:API with <c>Authorization: Klaviyo-API-Key</c> and <c>revision</c>. Upsert and Add go through
/// <c>POST /api/profile-bulk-import-jobs</c> (Add with the list as relationship; accepted jobs are durable, so the
/// records succeed on 202; split by the 5 MB and 10,000-profile limits, a profile over 100 KB is Invalid). Remove
/// finds profile ids by email (<c>GET /api/profiles?filter=any(email,[…])</c>, beyond the reference) and calls
/// <c>DELETE /api/lists/{id}/relationships/profiles</c> in chunks of ≤1,000; a profile not found is not on the list.
/// </summary>
public sealed partial class KlaviyoDestination : PlatformDestination
{
    public const string TypeName = "klaviyo";

    public const int MaxBodyBytes = 5 * 1024 * 1024;
    public const int MaxProfileBytes = 100 * 1024;
    private const int LookupChunk = 100;

    private readonly KlaviyoSettings _settings;

    public KlaviyoDestination(HttpClient http, KlaviyoSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (settings.MaxProfilesPerRequest is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(settings), "MaxProfilesPerRequest must be 1..10,000.");
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.Crm("klaviyo", settings.DefaultPhoneRegion);
        BatchOperation[] operations = settings.ListId is null ? [BatchOperation.Upsert] : [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxProfilesPerRequest, MaxBytesPerBatch: MaxBodyBytes,
            RequestsPerSecond: 2.5, // steady 150 per minute on bulk import and list relationships
            Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Klaviyo";

    protected override IdentifierProfile Profile { get; }

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers)
    {
        if (operation == BatchOperation.Remove)
            return identifiers.Has(IdentifierType.Email) ? null : "no usable identifier: Klaviyo list removal finds the profile by email";
        if (!identifiers.IsUsable) return identifiers.UnusableReason;
        return Encoding.UTF8.GetByteCount(ProfileNode(record, identifiers).ToJsonString()) > MaxProfileBytes ? "profile larger than Klaviyo's 100 KB limit" : null;
    }

    protected override Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken) =>
        operation == BatchOperation.Remove ? RemoveAsync(records, cancellationToken) : ImportAsync(operation == BatchOperation.Add, records, cancellationToken);

    private async Task<IReadOnlyList<RecordResult>> ImportAsync(bool addToList, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var results = new List<RecordResult>(records.Count);
        var chunk = new List<(PreparedRecord Record, JsonObject Node)>();
        var size = 0;
        const int envelope = 1024;
        foreach (var record in records)
        {
            var node = ProfileNode(record.Record, record.Identifiers);
            var bytes = Encoding.UTF8.GetByteCount(node.ToJsonString()) + 1;
            if (chunk.Count > 0 && size + bytes + envelope > MaxBodyBytes)
            {
                results.AddRange(await ImportChunkAsync(addToList, chunk, cancellationToken).ConfigureAwait(false));
                chunk.Clear();
                size = 0;
            }
            chunk.Add((record, node));
            size += bytes;
        }
        if (chunk.Count > 0) results.AddRange(await ImportChunkAsync(addToList, chunk, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private async Task<IReadOnlyList<RecordResult>> ImportChunkAsync(bool addToList, List<(PreparedRecord Record, JsonObject Node)> chunk, CancellationToken cancellationToken)
    {
        var attributes = new JsonObject { ["profiles"] = new JsonObject { ["data"] = new JsonArray([.. chunk.Select(c => (JsonNode)c.Node)]) } };
        var data = new JsonObject { ["type"] = "profile-bulk-import-job", ["attributes"] = attributes };
        if (addToList)
        {
            data["relationships"] = new JsonObject { ["lists"] = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["type"] = "list", ["id"] = _settings.ListId }) } };
        }
        var response = await SendRawAsync(Request(HttpMethod.Post, "api/profile-bulk-import-jobs", new JsonObject { ["data"] = data }), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            if (response.Json.Obj("data").Str("id") is null) throw Unreadable(response, "a bulk import job");
            return [.. chunk.Select(c => Ok(c.Record))];
        }
        // A refused job names the bad profiles by JSON pointer; those are rejected, the others resent.
        if (response.StatusCode == 400 && response.Json.Arr("errors") is { Count: > 0 } errors)
        {
            var byIndex = new Dictionary<int, string>();
            foreach (var error in errors)
            {
                var match = PointerIndex().Match(error.Obj("source").Str("pointer") ?? "");
                if (match.Success && int.TryParse(match.Groups[1].Value, out var i) && i < chunk.Count)
                    byIndex[i] = Reason(chunk[i].Record, error.Str("code"), error.Str("detail"));
            }
            if (byIndex.Count > 0)
            {
                return [.. chunk.Select((c, i) => byIndex.TryGetValue(i, out var reason) ? Rejected(c.Record, reason) : Pending(c.Record, "sent in a job Klaviyo refused because of other profiles"))];
            }
        }
        throw Failure(response);
    }

    private async Task<IReadOnlyList<RecordResult>> RemoveAsync(IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var chunk in records.Chunk(LookupChunk))
        {
            var emails = chunk.Select(r => r[IdentifierType.Email]!).Distinct(StringComparer.Ordinal).ToList();
            var filter = "any(email,[" + string.Join(",", emails.Select(e => JsonValue.Create(e).ToJsonString())) + "])";
            var path = $"api/profiles?filter={Uri.EscapeDataString(filter)}&page%5Bsize%5D={LookupChunk}&fields%5Bprofile%5D=email";
            var response = await SendAsync(Request(HttpMethod.Get, path, null), cancellationToken).ConfigureAwait(false);
            var found = response.Json.Arr("data") ?? throw Unreadable(response, "a profile list");
            ids.AddRange(found.Select(p => p.Str("id")).OfType<string>());
        }
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(1_000))
        {
            var body = new JsonObject { ["data"] = new JsonArray([.. chunk.Select(id => (JsonNode)new JsonObject { ["type"] = "profile", ["id"] = id })]) };
            await SendAsync(Request(HttpMethod.Delete, $"api/lists/{Uri.EscapeDataString(_settings.ListId!)}/relationships/profiles", body), cancellationToken).ConfigureAwait(false);
        }
        return [.. records.Select(Ok)];
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        var first = response.Json.Arr("errors")?.FirstOrDefault();
        return first is null ? VendorError.None : new VendorError(first.Str("code"), first.Str("detail") ?? first.Str("title"));
    }

    private static JsonObject ProfileNode(OutboundRecord record, NormalizedRecord identifiers)
    {
        var attributes = new JsonObject();
        if (identifiers[IdentifierType.Email] is { } email) attributes["email"] = email;
        if (identifiers[IdentifierType.Phone] is { } phone) attributes["phone_number"] = phone;
        if (identifiers[IdentifierType.ExternalId] is { } external) attributes["external_id"] = external;
        if (identifiers[IdentifierType.FirstName] is { } first) attributes["first_name"] = first;
        if (identifiers[IdentifierType.LastName] is { } last) attributes["last_name"] = last;
        // Nulls are not sent: Klaviyo's bulk import ignores them rather than clearing the property.
        var properties = new JsonObject();
        foreach (var (name, value) in record.Fields)
        {
            if (value is not null) properties[name] = ToJson(value);
        }
        if (properties.Count > 0) attributes["properties"] = properties;
        return new JsonObject { ["type"] = "profile", ["attributes"] = attributes };
    }

    private HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body)
    {
        var request = body is null ? new HttpRequestMessage(method, Combine(_settings.BaseUrl, path)) : Json(method, Combine(_settings.BaseUrl, path), body, "application/vnd.api+json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Klaviyo-API-Key", _settings.ApiKey);
        request.Headers.TryAddWithoutValidation("revision", _settings.Revision);
        request.Headers.Accept.ParseAdd("application/vnd.api+json");
        return request;
    }

    [GeneratedRegex(@"/profiles/data/(\d+)")]
    private static partial Regex PointerIndex();
}
