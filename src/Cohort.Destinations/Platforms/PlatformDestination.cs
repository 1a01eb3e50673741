using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms;

/// <summary>A record of the batch that passed identifier preparation, with its position in the batch.</summary>
public sealed record PreparedRecord(int Index, OutboundRecord Record, NormalizedRecord Identifiers)
{
    public string Key => Record.Key;

    public string? this[IdentifierType type] => Identifiers[type];
}

/// <summary>
/// The shared part of the platform connectors: identifier preparation (records with no usable identifier become
/// <see cref="RecordOutcome.Invalid"/> and are never sent), sending with failures mapped to
/// <see cref="DestinationException"/> (network errors, timeouts, 408/425/429/5xx: Transient with Retry-After;
/// 401/403/404: AuthOrConfig; other 4xx: Permanent), and merging per-record results back into batch order.
/// Connectors never sleep or retry: that is the engine's job.
/// </summary>
public abstract class PlatformDestination : IDestination, IIdentifierProfileSource
{
    private readonly HttpClient _http;

    protected PlatformDestination(HttpClient http, TimeProvider? timeProvider, bool includeErrorDetail)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        Time = timeProvider ?? TimeProvider.System;
        IncludeErrorDetail = includeErrorDetail;
    }

    public abstract DestinationDescriptor Descriptor { get; }

    /// <summary>The platform name used in messages.</summary>
    protected abstract string Platform { get; }

    /// <summary>How identifiers are normalised and encoded; null for destinations keyed by the sync key alone.</summary>
    protected abstract IdentifierProfile? Profile { get; }

    /// <summary>The profile this connector normalises with (for the engine's match-rate report); null when it uses none.</summary>
    public IdentifierProfile? IdentifierProfile => Profile;

    protected TimeProvider Time { get; }

    /// <summary>When false (the default), exception messages carry status and vendor codes but not the vendor's text.</summary>
    protected bool IncludeErrorDetail { get; }

    public async Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Descriptor.Operations.Contains(batch.Operation))
            throw new NotSupportedException(PlatformMessages.UnsupportedOperation(Platform, batch.Operation, Descriptor.Operations));
        if (batch.Records.Length > Descriptor.MaxRecordsPerBatch)
            throw new ArgumentException(PlatformMessages.BatchTooLarge(Platform, batch.Records.Length, Descriptor.MaxRecordsPerBatch), nameof(batch));

        var results = new RecordResult?[batch.Records.Length];
        var ready = new List<PreparedRecord>(batch.Records.Length);
        for (var i = 0; i < batch.Records.Length; i++)
        {
            var record = batch.Records[i];
            var identifiers = Profile?.Normalize(record) ?? EmptyIdentifiers;
            var problem = Validate(batch.Operation, record, identifiers);
            if (problem is not null) results[i] = new RecordResult(record.Key, RecordOutcome.Invalid, problem);
            else ready.Add(new PreparedRecord(i, record, identifiers));
        }
        if (ready.Count > 0)
        {
            var sent = await SendPreparedAsync(batch.Operation, ready, cancellationToken).ConfigureAwait(false);
            if (sent.Count != ready.Count) throw new InvalidOperationException($"{GetType().Name} returned {sent.Count} results for {ready.Count} records.");
            for (var i = 0; i < ready.Count; i++) results[ready[i].Index] = sent[i];
        }
        return new BatchResult([.. results.Select(r => r!)]);
    }

    public virtual Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The HttpClient is the caller's; connectors own nothing that needs disposing by default.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Why a record cannot be sent for this operation, or null when it can. Default: it needs a usable identifier.</summary>
    protected virtual string? Validate(BatchOperation operation, OutboundRecord record, NormalizedRecord identifiers) =>
        Profile is null || identifiers.IsUsable ? null : identifiers.UnusableReason;

    /// <summary>Sends the records that passed preparation; returns one result per record, in the same order.</summary>
    protected abstract Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken);

    /// <summary>Sends a request and reads the whole response; transport failures and timeouts become Transient errors.</summary>
    protected async Task<ApiResponse> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var now = Time.GetUtcNow();
                return new ApiResponse(response.StatusCode, body, response.Headers, RetryAfterParser.Parse(response.Headers, now) ?? PlatformRetryAfter(response.Headers, now));
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DestinationException(PlatformMessages.Timeout(Platform), DestinationErrorClass.Transient, innerException: e);
            }
            catch (HttpRequestException e)
            {
                throw new DestinationException(PlatformMessages.Network(Platform, e.HttpRequestError), DestinationErrorClass.Transient, innerException: e);
            }
            catch (IOException e)
            {
                // A response cut off while its body was read (HttpIOException is an IOException).
                throw new DestinationException(PlatformMessages.Network(Platform, HttpRequestError.ResponseEnded), DestinationErrorClass.Transient, innerException: e);
            }
        }
    }

    /// <summary>Sends and throws the classified <see cref="DestinationException"/> unless the status is 2xx.</summary>
    protected async Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess) throw Failure(response);
        return response;
    }

    /// <summary>A platform-specific wait hint when there is no Retry-After header.</summary>
    protected virtual TimeSpan? PlatformRetryAfter(System.Net.Http.Headers.HttpResponseHeaders headers, DateTimeOffset now) => null;

    /// <summary>Reads the platform's error envelope: its error code, its message, and a class that overrides the status default.</summary>
    protected virtual VendorError ReadError(ApiResponse response) => VendorError.None;

    /// <summary>Builds the exception for a failed request from its status and the platform's error envelope.</summary>
    protected DestinationException Failure(ApiResponse response)
    {
        var vendor = ReadError(response);
        var errorClass = vendor.Class ?? ClassifyStatus(response.StatusCode);
        var message = PlatformMessages.RequestFailed(Platform, response.StatusCode, vendor.Code, IncludeErrorDetail ? vendor.Message : null, errorClass);
        return new DestinationException(message, errorClass, response.StatusCode, vendor.Code,
            errorClass == DestinationErrorClass.Transient ? response.RetryAfter : null);
    }

    /// <summary>A 2xx response whose body cannot be understood: the outcome is unknown, so the batch is retried (sends are idempotent).</summary>
    protected DestinationException Unreadable(ApiResponse response, string expected) =>
        new(PlatformMessages.Unreadable(Platform, response.StatusCode, expected), DestinationErrorClass.Transient, response.StatusCode);

    public static DestinationErrorClass ClassifyStatus(int status) => status switch
    {
        408 or 425 or 429 => DestinationErrorClass.Transient,
        >= 500 => DestinationErrorClass.Transient,
        401 or 403 or 404 => DestinationErrorClass.AuthOrConfig,
        _ => DestinationErrorClass.Permanent,
    };

    protected static HttpRequestMessage Json(HttpMethod method, Uri uri, JsonNode body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        return request;
    }

    protected static Uri Combine(Uri baseUrl, string relative) =>
        new(new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/"), relative.TrimStart('/'));

    /// <summary>A mapped field value as JSON (null stays null).</summary>
    protected static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };

    /// <summary>
    /// A per-record reason from the platform, with the record's own identifier values replaced by their kind so
    /// that run records do not repeat PII the platform echoed back.
    /// </summary>
    protected static string Reason(PreparedRecord record, string? code, string? message)
    {
        var text = (code, message) switch
        {
            (null or "", null or "") => "rejected by the platform",
            (null or "", _) => message!,
            (_, null or "") => code!,
            _ => code + ": " + message,
        };
        foreach (var (type, raw) in record.Record.Identifiers)
        {
            if (raw.Length >= 3) text = text.Replace(raw, "<" + type + ">", StringComparison.OrdinalIgnoreCase);
        }
        foreach (var id in record.Identifiers.Identifiers.Values)
        {
            if (id.Normalized.Length >= 3) text = text.Replace(id.Normalized, "<" + id.Type + ">", StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    protected static RecordResult Ok(PreparedRecord record) => RecordResult.Ok(record.Key);

    protected static RecordResult Rejected(PreparedRecord record, string reason) => new(record.Key, RecordOutcome.Rejected, reason);

    protected static RecordResult Pending(PreparedRecord record, string reason) => new(record.Key, RecordOutcome.Pending, reason);

    private static readonly NormalizedRecord EmptyIdentifiers = new(ImmutableDictionary<IdentifierType, NormalizedIdentifier>.Empty, [], true, null);
}

/// <summary>What a platform's error envelope said: its code, its message, and a class when the code decides it.</summary>
public sealed record VendorError(string? Code, string? Message, DestinationErrorClass? Class = null)
{
    public static readonly VendorError None = new(null, null);
}

/// <summary>The messages of the platform connectors, in one place. None of them carries record data.</summary>
internal static class PlatformMessages
{
    public static string UnsupportedOperation(string platform, BatchOperation operation, ImmutableArray<BatchOperation> supported) =>
        $"{platform} does not support {operation} as configured (supported: {string.Join(", ", supported)}).";

    public static string BatchTooLarge(string platform, int count, int max) =>
        $"{platform}: a batch of {count} records exceeds the destination's limit of {max}; the engine sizes batches from the descriptor.";

    public static string Timeout(string platform) => $"{platform}: the request timed out.";

    public static string Network(string platform, HttpRequestError error) => $"{platform}: the request failed before a response ({error}).";

    public static string RequestFailed(string platform, int status, string? vendorCode, string? detail, DestinationErrorClass errorClass)
    {
        var text = new StringBuilder($"{platform} answered HTTP {status}");
        if (!string.IsNullOrEmpty(vendorCode)) text.Append(" (").Append(vendorCode).Append(')');
        if (!string.IsNullOrEmpty(detail)) text.Append(": ").Append(detail);
        text.Append(errorClass switch
        {
            DestinationErrorClass.AuthOrConfig => ". Check the destination's credentials and configuration.",
            DestinationErrorClass.Transient => ". The request can be retried.",
            _ => ". The request was refused as sent.",
        });
        return text.ToString();
    }

    public static string Unreadable(string platform, int status, string expected) =>
        $"{platform} answered HTTP {status} with a body that is not {expected}; the outcome is unknown and the batch can be retried.";

    public static string NotInResponse(string platform) => $"{platform} did not report this record; it will be sent again.";
}
