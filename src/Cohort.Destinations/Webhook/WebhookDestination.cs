using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Http;
using Cohort.Destinations.Values;

namespace Cohort.Destinations.Webhook;

/// <summary>
/// Posts batches of records as JSON to an HTTP endpoint, signed with HMAC-SHA256 (see <see cref="WebhookSignature"/>
/// and docs/destinations.md for the body, the headers and the optional per-record response).
/// </summary>
public sealed class WebhookDestination : IDestination
{
    public const string TypeName = "webhook";
    public const string DefaultSignatureHeader = "X-Cohort-Signature";
    public const string DefaultTimestampHeader = "X-Cohort-Timestamp";

    private static readonly ImmutableArray<BatchOperation> AllOperations =
        [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert, BatchOperation.Update, BatchOperation.Insert, BatchOperation.Delete, BatchOperation.Archive];

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _secret;
    private readonly string _signatureHeader;
    private readonly string _timestampHeader;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly DestinationContext _context;
    private readonly TimeSpan _timeout;

    public WebhookDestination(WebhookOptions options, DestinationContext context, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _url = options.Url;
        _secret = options.Secret;
        _signatureHeader = options.SignatureHeader;
        _timestampHeader = options.TimestampHeader;
        _headers = options.Headers;
        _context = context;
        _timeout = options.Timeout;
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = options.Timeout };
        Descriptor = new DestinationDescriptor(TypeName, AllOperations, options.BatchSize, null, options.RequestsPerSecond, options.MaxConcurrency,
            [.. Enum.GetValues<IdentifierType>()]);
    }

    public DestinationDescriptor Descriptor { get; }

    public static DestinationType Type(DestinationServices services) => new(
        TypeName,
        "JSON batches to an HTTP endpoint, signed with HMAC-SHA256.",
        [
            SettingSpec.Text("url", "the http(s) URL batches are posted to", required: true),
            SettingSpec.Secret("secret", "the shared key of the HMAC-SHA256 signature"),
            SettingSpec.Integer("batch_size", "records per request", 1, 10_000, 500),
            SettingSpec.Number("requests_per_second", "the most requests per second the receiver accepts (default: no limit)"),
            SettingSpec.Integer("max_concurrency", "requests in flight at once", 1, 32, 2),
            SettingSpec.Integer("timeout_seconds", "how long to wait for an answer", 1, 600, 30),
            SettingSpec.Map("headers", "extra request headers; secret values as {env: ...}"),
            SettingSpec.Text("signature_header", "the signature header's name", @default: DefaultSignatureHeader),
            SettingSpec.Text("timestamp_header", "the timestamp header's name", @default: DefaultTimestampHeader),
        ],
        AllOperations,
        (settings, context, _) => ValueTask.FromResult<IDestination>(new WebhookDestination(WebhookOptions.From(settings), context, services.HttpHandler)))
    {
        AcceptsAnyIdentifier = true,
        Validate = ValidateUrl,
    };

    private static void ValidateUrl(DestinationDefinition definition, DiagnosticBag diagnostics)
    {
        if (definition.Find("url") is { Value: SettingValue.Literal literal } setting && !WebhookOptions.IsHttpUrl(literal.Text))
            diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.InvalidUrl(literal.Text), literal.Location ?? setting.Location);
    }

    public async Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = WebhookBody.Write(_context, batch);
        var timestamp = _context.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(_timestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(_signatureHeader, WebhookSignature.Compute(_secret, timestamp, body));
        foreach (var (name, value) in _headers) request.Headers.TryAddWithoutValidation(name, value);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (HttpFailures.FromTransport(_context.DestinationName, e, _timeout, cancellationToken) is { } failure)
        {
            throw failure;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw HttpFailures.FromResponse(_context.DestinationName, response, _context.Time);
            byte[] answer;
            try
            {
                answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (HttpFailures.FromTransport(_context.DestinationName, e, _timeout, cancellationToken) is { } failure)
            {
                throw failure;
            }
            return WebhookResponse.Parse(_context.DestinationName, batch, answer, response.Content.Headers.ContentType?.MediaType);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The webhook's settings, resolved.</summary>
public sealed record WebhookOptions(
    Uri Url,
    string Secret,
    int BatchSize = 500,
    double? RequestsPerSecond = null,
    int MaxConcurrency = 2,
    TimeSpan Timeout = default,
    string SignatureHeader = WebhookDestination.DefaultSignatureHeader,
    string TimestampHeader = WebhookDestination.DefaultTimestampHeader)
{
    public TimeSpan Timeout { get; init; } = Timeout == default ? TimeSpan.FromSeconds(30) : Timeout;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static WebhookOptions From(DestinationSettings settings)
    {
        var url = settings.RequiredText("url");
        if (!IsHttpUrl(url))
            throw new DestinationException(DestinationMessages.InvalidUrl(url), DestinationErrorClass.AuthOrConfig);
        return new WebhookOptions(
            new Uri(url),
            settings.RequiredText("secret"),
            settings.Integer("batch_size", 500),
            settings.Number("requests_per_second"),
            settings.Integer("max_concurrency", 2),
            TimeSpan.FromSeconds(settings.Integer("timeout_seconds", 30)),
            settings.Text("signature_header") ?? WebhookDestination.DefaultSignatureHeader,
            settings.Text("timestamp_header") ?? WebhookDestination.DefaultTimestampHeader)
        {
            Headers = settings.Map("headers"),
        };
    }

    internal static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>The request body: <c>{"sync", "run", "operation", "records": [{"key", "fields", "identifiers"}]}</c>.</summary>
public static class WebhookBody
{
    public static byte[] Write(DestinationContext context, DestinationBatch batch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        var buffer = new ArrayBufferWriter<byte>(256 + batch.Records.Length * 160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sync", context.SyncName);
            json.WriteNumber("run", context.RunId);
            json.WriteString("operation", OperationName(batch.Operation));
            json.WriteStartArray("records");
            // Fields in mapping order (then any the mapping does not name), identifiers in the context's order: no sorting per record.
            var fieldOrder = context.Fields.Select(f => f.Name).ToArray();
            var identifierOrder = context.Identifiers.IsDefaultOrEmpty ? Enum.GetValues<IdentifierType>() : context.Identifiers.ToArray();
            foreach (var record in batch.Records)
            {
                json.WriteStartObject();
                json.WriteString("key", record.Key);
                json.WriteStartObject("fields");
                var written = 0;
                foreach (var name in fieldOrder)
                {
                    if (!record.Fields.TryGetValue(name, out var value)) continue;
                    json.WritePropertyName(name);
                    JsonValues.Write(json, value);
                    written++;
                }
                if (written < record.Fields.Count)
                {
                    foreach (var (name, value) in record.Fields)
                    {
                        if (Array.IndexOf(fieldOrder, name) >= 0) continue;
                        json.WritePropertyName(name);
                        JsonValues.Write(json, value);
                    }
                }
                json.WriteEndObject();
                json.WriteStartObject("identifiers");
                foreach (var type in identifierOrder)
                {
                    if (record.Identifiers.TryGetValue(type, out var value)) json.WriteString(IdentifierTypes.NameOf(type), value);
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string OperationName(BatchOperation operation) => operation.ToString().ToLowerInvariant();

    /// <summary>The snake-case name of an identifier kind, as sync files and payloads write it (email, zip_code, ...).</summary>
    public static string IdentifierNamesOf(IdentifierType type) => IdentifierTypes.NameOf(type);
}

/// <summary>
/// The receiver's answer. An empty body or one that is not JSON confirms every record; a JSON object with
/// <c>results</c> gives one outcome per key (<c>ok</c>, <c>rejected</c> with a <c>reason</c>, or <c>retry</c>); keys it
/// does not mention stay pending. JSON that cannot be read is a transient failure (the batch is sent again).
/// </summary>
public static class WebhookResponse
{
    public static BatchResult Parse(string destination, DestinationBatch batch, byte[] body, string? mediaType)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(body);
        var isJson = mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (body.Length == 0 || (!isJson && body.AsSpan().Trim((byte)' ').Length > 0 && body[0] is not (byte)'{'))
            return BatchResult.AllSucceeded(batch);
        Dictionary<string, RecordResult> outcomes;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DestinationException(DestinationMessages.MalformedResponse(destination, "not a JSON object"), DestinationErrorClass.Transient);
            if (!document.RootElement.TryGetProperty("results", out var results))
                return BatchResult.AllSucceeded(batch);
            if (results.ValueKind != JsonValueKind.Array)
                throw new DestinationException(DestinationMessages.MalformedResponse(destination, "'results' is not a list"), DestinationErrorClass.Transient);
            outcomes = new Dictionary<string, RecordResult>(StringComparer.Ordinal);
            foreach (var item in results.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("key", out var keyElement))
                    throw new DestinationException(DestinationMessages.MalformedResponse(destination, "a result without 'key'"), DestinationErrorClass.Transient);
                var key = keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString()! : keyElement.GetRawText();
                var status = item.TryGetProperty("status", out var statusElement) && statusElement.ValueKind == JsonValueKind.String ? statusElement.GetString()! : "ok";
                var reason = item.TryGetProperty("reason", out var reasonElement) && reasonElement.ValueKind == JsonValueKind.String ? reasonElement.GetString() : null;
                outcomes[key] = status.ToLowerInvariant() switch
                {
                    "ok" or "success" or "succeeded" or "accepted" => RecordResult.Ok(key),
                    "rejected" or "error" or "failed" or "invalid" => new RecordResult(key, RecordOutcome.Rejected, reason ?? "rejected by the destination"),
                    "retry" or "pending" => new RecordResult(key, RecordOutcome.Pending, reason ?? "the destination asked to retry"),
                    _ => new RecordResult(key, RecordOutcome.Pending, DestinationMessages.UnknownRecordStatus(status)),
                };
            }
        }
        catch (JsonException e)
        {
            throw new DestinationException(DestinationMessages.MalformedResponse(destination, e.Message), DestinationErrorClass.Transient, innerException: e);
        }
        return new BatchResult([.. batch.Records.Select(r => outcomes.GetValueOrDefault(r.Key) ?? new RecordResult(r.Key, RecordOutcome.Pending, DestinationMessages.NotInResponse))]);
    }
}
