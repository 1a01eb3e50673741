namespace Cohort.Destinations.Abstractions;

/// <summary>How the engine should react to a failed request.</summary>
public enum DestinationErrorClass
{
    /// <summary>Retry later (429, 5xx, timeouts, connection resets), honouring <see cref="DestinationException.RetryAfter"/>.</summary>
    Transient,
    /// <summary>The request as sent will never succeed (a 4xx on the batch): split the batch to isolate bad records.</summary>
    Permanent,
    /// <summary>Credentials or configuration are wrong (401, 403, unknown list): stop the sync with a clear error, no retries.</summary>
    AuthOrConfig,
}

/// <summary>
/// A whole request failed. Messages carry the destination's status and error code but never record data
/// (identifiers, PII) unless the destination was configured to include details.
/// </summary>
public sealed class DestinationException(
    string message,
    DestinationErrorClass errorClass,
    int? statusCode = null,
    string? vendorCode = null,
    TimeSpan? retryAfter = null,
    Exception? innerException = null) : Exception(message, innerException)
{
    public DestinationErrorClass ErrorClass { get; } = errorClass;

    public bool IsTransient => ErrorClass == DestinationErrorClass.Transient;

    public int? StatusCode { get; } = statusCode;

    public string? VendorCode { get; } = vendorCode;

    /// <summary>How long the destination asked us to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
