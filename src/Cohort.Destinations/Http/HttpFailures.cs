using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Http;

/// <summary>
/// How HTTP destinations classify failures, shared by every HTTP connector: 408, 425, 429 and 5xx are transient
/// (with Retry-After honoured), 401 and 403 mean credentials, 404 and 410 a wrong endpoint (both stop the sync),
/// any other 4xx is a permanent rejection of the request (the engine splits the batch to isolate bad records).
/// </summary>
public static class HttpFailures
{
    public static DestinationErrorClass Classify(HttpStatusCode status) => (int)status switch
    {
        408 or 425 or 429 => DestinationErrorClass.Transient,
        >= 500 => DestinationErrorClass.Transient,
        401 or 403 or 404 or 405 or 407 or 410 => DestinationErrorClass.AuthOrConfig,
        _ => DestinationErrorClass.Permanent,
    };

    /// <summary>The exception for a non-success response, with the status, the class and any Retry-After.</summary>
    public static DestinationException FromResponse(string destination, HttpResponseMessage response, TimeProvider time, string? vendorCode = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var errorClass = Classify(response.StatusCode);
        var message = errorClass == DestinationErrorClass.AuthOrConfig
            ? status is 401 or 403 or 407 ? DestinationMessages.HttpAuth(destination, status) : DestinationMessages.HttpNotFound(destination, status)
            : DestinationMessages.HttpStatus(destination, status, response.ReasonPhrase);
        return new DestinationException(message, errorClass, status, vendorCode, RetryAfter(response.Headers.RetryAfter, time));
    }

    /// <summary>Retry-After as a delay (delta seconds, or an HTTP date relative to <paramref name="time"/>); null when absent.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (header is null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>
    /// The exception for a request that got no response: a timeout or a broken connection is transient; an invalid
    /// request URI or TLS failure is configuration. Returns null for exceptions that are not about the transport.
    /// </summary>
    public static DestinationException? FromTransport(string destination, Exception exception, TimeSpan timeout, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case TaskCanceledException when !cancellationToken.IsCancellationRequested:
            case TimeoutException:
                return new DestinationException(DestinationMessages.HttpTimeout(destination, timeout), DestinationErrorClass.Transient, innerException: exception);
            case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.ConfigurationLimitExceeded } e:
                return new DestinationException(DestinationMessages.HttpConnection(destination, e.Message), DestinationErrorClass.AuthOrConfig, innerException: e);
            case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } e:
                return new DestinationException(DestinationMessages.HttpConnection(destination, e.Message), DestinationErrorClass.Transient, innerException: e);
            case HttpRequestException e:
                return new DestinationException(DestinationMessages.HttpConnection(destination, e.Message), DestinationErrorClass.Transient, innerException: e);
            case IOException or SocketException:
                return new DestinationException(DestinationMessages.HttpConnection(destination, exception.Message), DestinationErrorClass.Transient, innerException: exception);
            default:
                return null;
        }
    }
}
