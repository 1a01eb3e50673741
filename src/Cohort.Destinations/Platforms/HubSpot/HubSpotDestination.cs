using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.HubSpot;

/// <summary>Settings of a HubSpot destination; <see cref="AccessToken"/> (private app or OAuth) is resolved by the caller.</summary>
public sealed record HubSpotSettings(string AccessToken)
{
    public Uri BaseUrl { get; init; } = new("https://api.hubapi.com/");

    public string ObjectType { get; init; } = "contacts";

    /// <summary>The unique property that names a record (<c>email</c>, or a custom unique property).</summary>
    public string IdProperty { get; init; } = "email";

    /// <summary>Which identifier holds the <see cref="IdProperty"/> value (Email for <c>email</c>, ExternalId for a custom id).</summary>
    public IdentifierType IdFrom { get; init; } = IdentifierType.Email;

    /// <summary>A MANUAL or SNAPSHOT list for Add/Remove; null: only Upsert is offered.</summary>
    public string? ListId { get; init; }

    /// <summary>Inputs per batch upsert (100: [secondary]; record ids per membership call: [not found], the same chunk is used).</summary>
    public int MaxInputsPerRequest { get; init; } = 100;

    /// <summary>190 requests per 10 s for private apps (OAuth apps: 100 per 10 s, set 10).</summary>
    public double RequestsPerSecond { get; init; } = 19;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// HubSpot CRM (§8) with <c>Authorization: Bearer</c>. Upsert: <c>POST /crm/v3/objects/{type}/batch/upsert</c> by the
/// id property (207 Multi-Status errors reject the records they name). Add: the same upsert, then
/// <c>PUT /crm/v3/lists/{list}/memberships/add</c> with the returned record ids. Remove: record ids are read with
/// <c>POST …/batch/read</c> (beyond the reference), then <c>PUT …/memberships/remove</c>; a record that does not exist
/// is not a member.
/// </summary>
public sealed class HubSpotDestination : PlatformDestination
{
    public const string TypeName = "hubspot";

    private readonly HubSpotSettings _settings;

    public HubSpotDestination(HttpClient http, HubSpotSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.Crm("hubspot");
        BatchOperation[] operations = settings.ListId is null ? [BatchOperation.Upsert] : [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxInputsPerRequest, RequestsPerSecond: settings.RequestsPerSecond,
            MaxConcurrentRequests: 4, Identifiers: [settings.IdFrom]);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "HubSpot";

    protected override IdentifierProfile Profile { get; }

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers) =>
        identifiers.Has(_settings.IdFrom) ? null
        : "no usable identifier: HubSpot names the record by " + _settings.IdProperty + " (" + _settings.IdFrom + ")"
          + (identifiers.Issues.Length > 0 ? "; " + string.Join("; ", identifiers.Issues.Select(i => i.Reason)) : "");

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        if (operation == BatchOperation.Remove) return await RemoveAsync(records, cancellationToken).ConfigureAwait(false);
        var (results, ids) = await UpsertAsync(records, cancellationToken).ConfigureAwait(false);
        if (operation == BatchOperation.Upsert) return results;

        var members = records.Select((r, i) => (Record: r, Index: i)).Where(x => results[x.Index].Outcome == RecordOutcome.Succeeded && ids[x.Index] is not null).ToList();
        if (members.Count == 0) return results;
        var body = new JsonArray([.. members.Select(m => (JsonNode)JsonValue.Create(ids[m.Index]!)).DistinctBy(n => n.ToJsonString())]);
        var response = await SendAsync(Request(HttpMethod.Put, $"crm/v3/lists/{Uri.EscapeDataString(_settings.ListId!)}/memberships/add", body), cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonObject json) throw Unreadable(response, "a MembershipsUpdateResponse");
        var missing = (json.Arr("recordIdsMissing") ?? []).Select(n => n.AsString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (record, index) in members)
        {
            if (missing.Contains(ids[index])) results[index] = Rejected(record, "HubSpot reported the record id as missing when adding to the list");
        }
        return results;
    }

    private async Task<(RecordResult[] Results, string?[] Ids)> UpsertAsync(IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        // One input per id value: HubSpot refuses duplicate ids in a batch; the last record's fields win.
        var inputs = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            var id = IdValue(record);
            var properties = new JsonObject();
            foreach (var (name, value) in record.Record.Fields) properties[name] = ToJson(value);
            properties[_settings.IdProperty] = id;
            inputs[id] = new JsonObject { ["idProperty"] = _settings.IdProperty, ["id"] = id, ["properties"] = properties };
        }
        var body = new JsonObject { ["inputs"] = new JsonArray([.. inputs.Values]) };
        var response = await SendAsync(Request(HttpMethod.Post, $"crm/v3/objects/{_settings.ObjectType}/batch/upsert", body), cancellationToken).ConfigureAwait(false);
        return Match(records, response, missingIsSuccess: false);
    }

    private async Task<IReadOnlyList<RecordResult>> RemoveAsync(IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["idProperty"] = _settings.IdProperty,
            ["properties"] = new JsonArray(_settings.IdProperty),
            ["inputs"] = new JsonArray([.. records.Select(IdValue).Distinct(StringComparer.OrdinalIgnoreCase).Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
        };
        var read = await SendAsync(Request(HttpMethod.Post, $"crm/v3/objects/{_settings.ObjectType}/batch/read", body), cancellationToken).ConfigureAwait(false);
        var (results, ids) = Match(records, read, missingIsSuccess: true);
        var found = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (found.Count > 0)
        {
            var remove = new JsonArray([.. found.Select(id => (JsonNode)JsonValue.Create(id))]);
            var response = await SendAsync(Request(HttpMethod.Put, $"crm/v3/lists/{Uri.EscapeDataString(_settings.ListId!)}/memberships/remove", remove), cancellationToken).ConfigureAwait(false);
            if (response.Json is not JsonObject) throw Unreadable(response, "a MembershipsUpdateResponse");
        }
        return results;
    }

    /// <summary>Matches batch results (by the id property's value) and errors (by the ids in their context) to records.</summary>
    private (RecordResult[] Results, string?[] Ids) Match(IReadOnlyList<PreparedRecord> records, ApiResponse response, bool missingIsSuccess)
    {
        if (response.Json is not JsonObject json || json.Arr("results") is not { } results) throw Unreadable(response, "a batch response");
        var byValue = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in results)
        {
            var value = result.Obj("properties").Str(_settings.IdProperty);
            if (value is not null && result.Str("id") is { } id) byValue[value] = id;
        }
        var errors = new Dictionary<string, (string? Category, string? Message)>(StringComparer.OrdinalIgnoreCase);
        foreach (var error in json.Arr("errors") ?? [])
        {
            foreach (var list in error.Obj("context")?.Select(p => p.Value as JsonArray).OfType<JsonArray>() ?? [])
            {
                foreach (var value in list.Select(v => v.AsString()).OfType<string>()) errors[value] = (error.Str("category"), error.Str("message"));
            }
        }
        var outcomes = new RecordResult[records.Count];
        var ids = new string?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var value = IdValue(records[i]);
            if (byValue.TryGetValue(value, out var id)) { outcomes[i] = Ok(records[i]); ids[i] = id; }
            else if (missingIsSuccess) outcomes[i] = Ok(records[i]);
            else if (errors.TryGetValue(value, out var error)) outcomes[i] = Rejected(records[i], Reason(records[i], error.Category, error.Message));
            else outcomes[i] = Pending(records[i], PlatformMessages.NotInResponse(Platform));
        }
        return (outcomes, ids);
    }

    protected override VendorError ReadError(ApiResponse response) =>
        response.Json is JsonObject json ? new VendorError(json.Str("category"), json.Str("message")) : VendorError.None;

    private string IdValue(PreparedRecord record) => record[_settings.IdFrom]!;

    private HttpRequestMessage Request(HttpMethod method, string path, JsonNode body)
    {
        var request = Json(method, Combine(_settings.BaseUrl, path), body);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.AccessToken);
        return request;
    }
}
