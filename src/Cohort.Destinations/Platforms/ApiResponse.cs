using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cohort.Destinations.Platforms;

/// <summary>A platform's HTTP response, read whole (platform responses are small), with the wait it asked for.</summary>
public sealed class ApiResponse(HttpStatusCode status, string body, HttpResponseHeaders headers, TimeSpan? retryAfter)
{
    private JsonNode? _json;
    private bool _parsed;

    public HttpStatusCode Status { get; } = status;

    public int StatusCode => (int)Status;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string Body { get; } = body;

    public HttpResponseHeaders Headers { get; } = headers;

    /// <summary>From <c>Retry-After</c> (seconds or an HTTP date) or a platform's own reset header.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (_parsed) return _json;
            _parsed = true;
            if (string.IsNullOrWhiteSpace(Body)) return null;
            try
            {
                _json = JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                _json = null;
            }
            return _json;
        }
    }

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>Parses wait hints: <c>Retry-After</c> as delta-seconds or an HTTP date, and epoch-second reset headers.</summary>
public static class RetryAfterParser
{
    public static TimeSpan? Parse(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var retry = headers.RetryAfter;
        if (retry?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retry?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        // A value HttpClient could not type (e.g. fractional seconds) is still worth reading.
        if (headers.TryGetValues("Retry-After", out var raw)
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return null;
    }

    /// <summary>A reset instant given in UTC epoch seconds (Braze's <c>X-RateLimit-Reset</c>), as a wait from now.</summary>
    public static TimeSpan? FromEpochReset(string? value, DateTimeOffset now)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)) return null;
        var reset = DateTimeOffset.FromUnixTimeSeconds(epoch);
        return reset > now ? reset - now : TimeSpan.Zero;
    }
}

internal static class JsonNodeExtensions
{
    public static string? Str(this JsonNode? node, string property) =>
        node is JsonObject o && o.TryGetPropertyValue(property, out var v) && v is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => null,
            }
            : null;

    public static JsonArray? Arr(this JsonNode? node, string property) =>
        node is JsonObject o && o.TryGetPropertyValue(property, out var v) ? v as JsonArray : null;

    public static JsonObject? Obj(this JsonNode? node, string property) =>
        node is JsonObject o && o.TryGetPropertyValue(property, out var v) ? v as JsonObject : null;

    public static long? Long(this JsonNode? node, string property) =>
        node is JsonObject o && o.TryGetPropertyValue(property, out var v) && v is JsonValue value
        && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var l) ? l : null;

    public static bool? Bool(this JsonNode? node, string property) =>
        node is JsonObject o && o.TryGetPropertyValue(property, out var v) && v is JsonValue value
        && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static string? AsString(this JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();
}
