using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Iterable;

/// <summary>How Iterable users are named: by email or by userId (the project's identity setting; mixing splits profiles).</summary>
public enum IterableUserKey
{
    Email,
    UserId,
}

/// <summary>Settings of an Iterable destination; <see cref="ApiKey"/> (server-side key) is resolved by the caller.</summary>
public sealed record IterableSettings(string ApiKey)
{
    /// <summary>The API host; EU projects use Iterable's EU host ([not verified] in the reference).</summary>
    public Uri BaseUrl { get; init; } = new("https://api.iterable.com/");

    /// <summary>The static list audience members join; null: only Upsert is offered.</summary>
    public long? ListId { get; init; }

    /// <summary>The identifier naming a user: Email (default) or UserId (taken from the ExternalId identifier).</summary>
    public IterableUserKey IdentifyBy { get; init; } = IterableUserKey.Email;

    /// <summary>Users per request ([not found] in official text).</summary>
    public int MaxUsersPerRequest { get; init; } = 1_000;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Iterable (§10, [secondary]) with the <c>Api-Key</c> header: Add = <c>POST /api/lists/subscribe</c>, Remove =
/// <c>POST /api/lists/unsubscribe</c> with <c>channelUnsubscribe: false</c> (never a global unsubscribe), Upsert =
/// <c>POST /api/users/bulkUpdate</c>. Users named in <c>invalidEmails</c> / <c>invalidUserIds</c> are Rejected.
/// </summary>
public sealed class IterableDestination : PlatformDestination
{
    public const string TypeName = "iterable";

    private readonly IterableSettings _settings;

    public IterableDestination(HttpClient http, IterableSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.Crm("iterable");
        BatchOperation[] operations = settings.ListId is null ? [BatchOperation.Upsert] : [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxUsersPerRequest, MaxConcurrentRequests: 2, Identifiers: [KeyType]);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Iterable";

    protected override IdentifierProfile Profile { get; }

    private IdentifierType KeyType => _settings.IdentifyBy == IterableUserKey.Email ? IdentifierType.Email : IdentifierType.ExternalId;

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers) =>
        identifiers.Has(KeyType) ? null
        : "no usable identifier: Iterable names users by " + (KeyType == IdentifierType.Email ? "email" : "userId (ExternalId)")
          + (identifiers.Issues.Length > 0 ? "; " + string.Join("; ", identifiers.Issues.Select(i => i.Reason)) : "");

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var users = new JsonArray([.. records.Select(r => (JsonNode)User(r, withFields: operation != BatchOperation.Remove))]);
        var (path, body) = operation switch
        {
            BatchOperation.Add => ("api/lists/subscribe", new JsonObject { ["listId"] = _settings.ListId, ["subscribers"] = users, ["updateExistingUsersOnly"] = false }),
            BatchOperation.Remove => ("api/lists/unsubscribe", new JsonObject { ["listId"] = _settings.ListId, ["subscribers"] = users, ["channelUnsubscribe"] = false }),
            _ => ("api/users/bulkUpdate", new JsonObject { ["users"] = users }),
        };
        var request = Json(HttpMethod.Post, Combine(_settings.BaseUrl, path), body);
        request.Headers.TryAddWithoutValidation("Api-Key", _settings.ApiKey);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonObject json || json.Long("successCount") is null) throw Unreadable(response, "a list/bulk response with successCount");

        var invalid = (json.Arr(_settings.IdentifyBy == IterableUserKey.Email ? "invalidEmails" : "invalidUserIds") ?? [])
            .Select(n => n.AsString()).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. records.Select(r => invalid.Contains(r[KeyType]!)
            ? Rejected(r, _settings.IdentifyBy == IterableUserKey.Email ? "Iterable reported the email as invalid" : "Iterable reported the userId as invalid")
            : Ok(r))];
    }

    protected override VendorError ReadError(ApiResponse response) =>
        response.Json is JsonObject json ? new VendorError(json.Str("code"), json.Str("msg")) : VendorError.None;

    private JsonObject User(PreparedRecord record, bool withFields)
    {
        var user = new JsonObject();
        if (_settings.IdentifyBy == IterableUserKey.Email) user["email"] = record[IdentifierType.Email];
        else
        {
            user["userId"] = record[IdentifierType.ExternalId];
            user["preferUserId"] = true;
        }
        if (withFields && record.Record.Fields.Count > 0)
        {
            var fields = new JsonObject();
            foreach (var (name, value) in record.Record.Fields) fields[name] = ToJson(value);
            user["dataFields"] = fields;
        }
        return user;
    }
}
