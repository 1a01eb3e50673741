using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Salesforce;

/// <summary>Settings of a Salesforce destination; <see cref="AccessToken"/> is resolved by the caller.</summary>
/// <param name="InstanceUrl">The org's instance, e.g. <c>https://example.my.salesforce.com/</c>.</param>
/// <param name="SObject">The object type, e.g. <c>Contact</c>.</param>
/// <param name="ExternalIdField">The external id field upserts match on, e.g. <c>Warehouse_Id__c</c>; it receives the sync key.</param>
public sealed record SalesforceSettings(Uri InstanceUrl, string AccessToken, string SObject, string ExternalIdField)
{
    public string ApiVersion { get; init; } = "v62.0";

    /// <summary>A checkbox field marking audience membership (Add sets true, Remove false); null: Add/Remove not offered.</summary>
    public string? MembershipField { get; init; }

    /// <summary>Records per sObject Collections request: at most 200 (§9).</summary>
    public int MaxRecordsPerRequest { get; init; } = 200;

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Salesforce sObject Collections upsert (§9): <c>PATCH /services/data/{v}/composite/sobjects/{SObject}/{ExternalIdField}</c>
/// with <c>allOrNone: false</c>; the results come back in request order with a per-record <c>success</c> and
/// <c>errors</c>. The record's sync key is the external id. Audience membership is a checkbox field
/// (<see cref="SalesforceSettings.MembershipField"/>); Remove upserts it to false (which creates the record if it
/// does not exist). <c>UNABLE_TO_LOCK_ROW</c> is Pending; <c>REQUEST_LIMIT_EXCEEDED</c> is Transient.
/// </summary>
public sealed class SalesforceDestination : PlatformDestination
{
    public const string TypeName = "salesforce";

    private static readonly HashSet<string> RetryableRecordErrors = ["UNABLE_TO_LOCK_ROW", "REQUEST_RUNNING_TOO_LONG", "SERVER_UNAVAILABLE"];

    private readonly SalesforceSettings _settings;

    public SalesforceDestination(HttpClient http, SalesforceSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (settings.MaxRecordsPerRequest is < 1 or > 200) throw new ArgumentOutOfRangeException(nameof(settings), "MaxRecordsPerRequest must be 1..200.");
        _settings = settings;
        BatchOperation[] operations = settings.MembershipField is null ? [BatchOperation.Upsert] : [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert];
        Descriptor = new DestinationDescriptor(TypeName, [.. operations], settings.MaxRecordsPerRequest, MaxConcurrentRequests: 4);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Salesforce";

    /// <summary>Salesforce records are keyed by the sync key; identifiers are ordinary mapped fields.</summary>
    protected override IdentifierProfile? Profile => null;

    protected override string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers)
    {
        if (string.IsNullOrWhiteSpace(record.Key)) return "no usable identifier: the sync key (external id) is empty";
        return record.Fields.Keys.Any(k => k.Equals("Id", StringComparison.OrdinalIgnoreCase)) ? "the Id field cannot be set in an upsert by external id" : null;
    }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var items = new JsonArray();
        foreach (var record in records)
        {
            var item = new JsonObject { ["attributes"] = new JsonObject { ["type"] = _settings.SObject } };
            foreach (var (name, value) in record.Record.Fields) item[name] = ToJson(value);
            item[_settings.ExternalIdField] = record.Key;
            if (operation is BatchOperation.Add or BatchOperation.Remove) item[_settings.MembershipField!] = operation == BatchOperation.Add;
            items.Add(item);
        }
        var path = $"services/data/{_settings.ApiVersion}/composite/sobjects/{Uri.EscapeDataString(_settings.SObject)}/{Uri.EscapeDataString(_settings.ExternalIdField)}";
        var request = Json(HttpMethod.Patch, Combine(_settings.InstanceUrl, path), new JsonObject { ["allOrNone"] = false, ["records"] = items });
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _settings.AccessToken);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Json is not JsonArray results) throw Unreadable(response, "a list of UpsertResult");

        var outcomes = new RecordResult[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var result = i < results.Count ? results[i] : null;
            if (result is null) { outcomes[i] = Pending(records[i], PlatformMessages.NotInResponse(Platform)); continue; }
            if (result.Bool("success") == true) { outcomes[i] = Ok(records[i]); continue; }
            var errors = result.Arr("errors") ?? [];
            var reason = string.Join("; ", errors.Select(e => Reason(records[i], e.Str("statusCode"), e.Str("message"))));
            outcomes[i] = errors.Any(e => RetryableRecordErrors.Contains(e.Str("statusCode") ?? ""))
                ? Pending(records[i], reason)
                : Rejected(records[i], reason.Length > 0 ? reason : "rejected by Salesforce");
        }
        return outcomes;
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        var first = response.Json is JsonArray array ? array.FirstOrDefault() : response.Json;
        var code = first.Str("errorCode");
        DestinationErrorClass? errorClass = code switch
        {
            "REQUEST_LIMIT_EXCEEDED" or "SERVER_UNAVAILABLE" => DestinationErrorClass.Transient,
            "INVALID_SESSION_ID" or "INSUFFICIENT_ACCESS" or "API_DISABLED_FOR_ORG" or "NOT_FOUND" or "INVALID_TYPE" => DestinationErrorClass.AuthOrConfig,
            _ => null,
        };
        return new VendorError(code, first.Str("message"), errorClass);
    }
}
