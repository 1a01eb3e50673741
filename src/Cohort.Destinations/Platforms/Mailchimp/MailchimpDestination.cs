using System.Text;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Mailchimp;

/// <summary>What happens to a record that leaves the audience.</summary>
public enum MailchimpRemoval
{
    /// <summary>Removed from the static segment (<c>members_to_remove</c>); needs <see cref="MailchimpSettings.SegmentId"/>.</summary>
    RemoveFromSegment,
    /// <summary>Set to <c>unsubscribed</c> on the list (a consent change: use only when the list is the audience).</summary>
    Unsubscribe,
}

/// <summary>Settings of a Mailchimp audience (list); <see cref="ApiKey"/> is resolved by the caller.</summary>
/// <param name="StatusIfNew">Status given to contacts new to the list (<c>subscribed</c>, <c>pending</c>, <c>transactional</c>, …): a consent decision, so it has no default.</param>
public sealed record MailchimpSettings(string ApiKey, string ListId, string StatusIfNew)
{
    /// <summary>null: <c>https://{dc}.api.mailchimp.com/</c> from the key's <c>-dc</c> suffix.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Send the key as an OAuth Bearer token instead of HTTP Basic (<c>anystring:key</c>); [secondary].</summary>
    public bool UseBearer { get; init; }

    /// <summary>A static segment (tag) audience members join; null: the list itself is the audience.</summary>
    public string? SegmentId { get; init; }

    public MailchimpRemoval Removal { get; init; } = MailchimpRemoval.RemoveFromSegment;

    /// <summary>Members per batch and per segment array: at most 500 (§11).</summary>
    public int MaxMembersPerRequest { get; init; } = 500;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Mailchimp Marketing API (§11). Upsert and Add: <c>POST /3.0/lists/{list}</c> (batch subscribe/update,
/// <c>update_existing: true</c>, merge fields from the mapped fields; per-member <c>errors</c> reject that member),
/// then for Add with a segment <c>POST /3.0/lists/{list}/segments/{segment}</c> <c>members_to_add</c>. Remove: the
/// segment's <c>members_to_remove</c> (emails not on the list are ignored), or unsubscribe when so configured.
/// </summary>
public sealed class MailchimpDestination : PlatformDestination
{
    public const string TypeName = "mailchimp";

    private static readonly HashSet<string> Statuses = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];

    private readonly MailchimpSettings _settings;
    private readonly Uri _baseUrl;

    public MailchimpDestination(HttpClient http, MailchimpSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (!Statuses.Contains(settings.StatusIfNew)) throw new ArgumentException("StatusIfNew must be one of " + string.Join(", ", Statuses) + ".", nameof(settings));
        if (settings.MaxMembersPerRequest is < 1 or > 500) throw new ArgumentOutOfRangeException(nameof(settings), "MaxMembersPerRequest must be 1..500.");
        _settings = settings;
        _baseUrl = settings.BaseUrl ?? BaseUrlForKey(settings.ApiKey);
        Profile = settings.Profile ?? PlatformProfiles.Crm("mailchimp");
        var canRemove = settings.SegmentId is not null || settings.Removal == MailchimpRemoval.Unsubscribe;
        BatchOperation[] operations = canRemove ? [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert] : [BatchOperation.Add, BatchOperation.Upsert];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxMembersPerRequest,
            MaxConcurrentRequests: 10, // 10 simultaneous connections per user
            Identifiers: [IdentifierType.Email]);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Mailchimp";

    protected override IdentifierProfile Profile { get; }

    /// <summary>The API base from a key's data-center suffix (<c>…-us14</c> → <c>https://us14.api.mailchimp.com/</c>).</summary>
    public static Uri BaseUrlForKey(string apiKey)
    {
        var dash = apiKey.LastIndexOf('-');
        var dc = dash >= 0 ? apiKey[(dash + 1)..] : "";
        if (dc.Length == 0 || !dc.All(char.IsAsciiLetterOrDigit)) throw new ArgumentException("The Mailchimp API key has no data-center suffix (…-us14); set BaseUrl.", nameof(apiKey));
        return new Uri($"https://{dc}.api.mailchimp.com/");
    }

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers) =>
        identifiers.Has(IdentifierType.Email) ? null
        : "no usable identifier: Mailchimp members are named by email"
          + (identifiers.Issues.Length > 0 ? "; " + string.Join("; ", identifiers.Issues.Select(i => i.Reason)) : "");

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        if (operation == BatchOperation.Remove)
        {
            return _settings.SegmentId is not null && _settings.Removal == MailchimpRemoval.RemoveFromSegment
                ? await SegmentAsync("members_to_remove", records, cancellationToken).ConfigureAwait(false)
                : await BatchAsync(records, unsubscribe: true, cancellationToken).ConfigureAwait(false);
        }
        var results = await BatchAsync(records, unsubscribe: false, cancellationToken).ConfigureAwait(false);
        if (operation != BatchOperation.Add || _settings.SegmentId is null) return results;

        var ok = records.Select((r, i) => (Record: r, Index: i)).Where(x => results[x.Index].Outcome == RecordOutcome.Succeeded).ToList();
        if (ok.Count == 0) return results;
        var segment = await SegmentAsync("members_to_add", [.. ok.Select(x => x.Record)], cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ok.Count; i++) results[ok[i].Index] = segment[i];
        return results;
    }

    private async Task<RecordResult[]> BatchAsync(IReadOnlyList<PreparedRecord> records, bool unsubscribe, CancellationToken cancellationToken)
    {
        var members = new JsonArray();
        foreach (var email in records.Select(r => r[IdentifierType.Email]!).Distinct(StringComparer.Ordinal))
        {
            var record = records.Last(r => r[IdentifierType.Email] == email);
            var member = new JsonObject { ["email_address"] = email };
            if (unsubscribe) member["status"] = "unsubscribed";
            else
            {
                member["status_if_new"] = _settings.StatusIfNew;
                var merge = new JsonObject();
                foreach (var (name, value) in record.Record.Fields) merge[name] = ToJson(value);
                if (merge.Count > 0) member["merge_fields"] = merge;
            }
            members.Add(member);
        }
        var body = new JsonObject { ["members"] = members, ["update_existing"] = true };
        var response = await SendAsync(Request($"3.0/lists/{Uri.EscapeDataString(_settings.ListId)}", body), cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonObject json || json.Long("error_count") is null && json.Arr("errors") is null) throw Unreadable(response, "a batch subscribe response");
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var error in json.Arr("errors") ?? [])
        {
            if (error.Str("email_address") is { } email) errors[email] = string.Join(": ", new[] { error.Str("error_code"), error.Str("error") }.Where(s => !string.IsNullOrEmpty(s)));
        }
        return [.. records.Select(r => errors.TryGetValue(r[IdentifierType.Email]!, out var reason) ? Rejected(r, Reason(r, null, reason)) : Ok(r))];
    }

    private async Task<RecordResult[]> SegmentAsync(string field, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var emails = records.Select(r => r[IdentifierType.Email]!).Distinct(StringComparer.Ordinal).ToList();
        var body = new JsonObject { [field] = new JsonArray([.. emails.Select(e => (JsonNode)JsonValue.Create(e))]) };
        var response = await SendAsync(Request($"3.0/lists/{Uri.EscapeDataString(_settings.ListId)}/segments/{Uri.EscapeDataString(_settings.SegmentId!)}", body), cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonObject json || json.Long("error_count") is null && json.Arr("errors") is null) throw Unreadable(response, "a segment members response");
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var error in json.Arr("errors") ?? [])
        {
            foreach (var email in error.Arr("email_addresses")?.Select(e => e.AsString()).OfType<string>() ?? []) errors[email] = error.Str("error") ?? "segment update failed";
        }
        return [.. records.Select(r => errors.TryGetValue(r[IdentifierType.Email]!, out var reason) ? Rejected(r, Reason(r, null, reason)) : Ok(r))];
    }

    protected override VendorError ReadError(ApiResponse response) =>
        response.Json is JsonObject json ? new VendorError(json.Str("title"), json.Str("detail")) : VendorError.None;

    private HttpRequestMessage Request(string path, JsonNode body)
    {
        var request = Json(HttpMethod.Post, Combine(_baseUrl, path), body);
        request.Headers.Authorization = _settings.UseBearer
            ? new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.ApiKey)
            : new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("cohort:" + _settings.ApiKey)));
        return request;
    }
}
