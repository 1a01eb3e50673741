using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cohort.Destinations.Webhook;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cohort.Testing.Sync;

/// <summary>What the fake webhook does instead of answering normally, for one request.</summary>
public abstract record WebhookFault
{
    private WebhookFault() { }

    /// <summary>429 with a Retry-After in seconds.</summary>
    public sealed record TooManyRequests(int RetryAfterSeconds) : WebhookFault;

    /// <summary>Any status without a usable body (500, 503, 400, 401, ...).</summary>
    public sealed record Status(int Code) : WebhookFault;

    /// <summary>Holds the request open for this long (the client should time out first).</summary>
    public sealed record Hang(TimeSpan Duration) : WebhookFault;

    /// <summary>Aborts the connection without an answer.</summary>
    public sealed record ResetConnection : WebhookFault;

    /// <summary>200 with a JSON content type and a body that is not JSON.</summary>
    public sealed record MalformedBody : WebhookFault;
}

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, free port) that enforces Cohort's webhook contract: a valid
/// HMAC-SHA256 signature over the timestamp and body, a timestamp within five minutes, JSON of the documented shape,
/// at most <see cref="MaxBatchSize"/> records, and (when <see cref="RequiredAuthorization"/> is set) the right
/// Authorization header. It applies each operation to an in-memory state by key and can answer per record. Faults
/// are injected per request with <see cref="Fault"/>; <see cref="RejectRecord"/> rejects single records.
/// </summary>
public sealed class FakeWebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _state = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private int _requests;
    private long _records;
    private int _contractViolations;

    private FakeWebhookServer(WebApplication app, string secret, TimeProvider time)
    {
        _app = app;
        _secret = secret;
        _time = time;
    }

    public Uri Url { get; private set; } = null!;

    public int MaxBatchSize { get; init; } = 500;

    /// <summary>When set, requests without <c>Authorization: {value}</c> get 401 (an expired or wrong credential).</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>Decides, for request n (from 1), whether to misbehave; null answers normally.</summary>
    public Func<int, WebhookFault?>? Fault { get; set; }

    /// <summary>Records whose key matches are answered <c>rejected</c> in the per-record results.</summary>
    public Func<string, bool>? RejectRecord { get; set; }

    /// <summary>Answer with per-record results (true) or an empty 200 (false).</summary>
    public bool AnswerPerRecord { get; set; } = true;

    /// <summary>How long each accepted request takes to answer (a slow receiver).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Keep the applied state (turn off for throughput benchmarks).</summary>
    public bool KeepState { get; set; } = true;

    public int Requests => Volatile.Read(ref _requests);

    public long RecordsReceived => Interlocked.Read(ref _records);

    /// <summary>Requests refused for breaking the contract (bad signature, stale timestamp, oversize batch, bad JSON).</summary>
    public int ContractViolations => Volatile.Read(ref _contractViolations);

    /// <summary>The records the receiver holds now: key → fields JSON.</summary>
    public IReadOnlyDictionary<string, string> State => new Dictionary<string, string>(_state, StringComparer.Ordinal);

    /// <summary>How many times each key was delivered in an accepted request (any operation).</summary>
    public IReadOnlyDictionary<string, int> Deliveries => new Dictionary<string, int>(_deliveries, StringComparer.Ordinal);

    public static async Task<FakeWebhookServer> StartAsync(string secret, TimeProvider? time = null, int maxBatchSize = 500)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 256L * 1024 * 1024);
        var app = builder.Build();
        var server = new FakeWebhookServer(app, secret, time ?? TimeProvider.System) { MaxBatchSize = maxBatchSize };
        app.MapPost("/hook", server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/hook");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        using var memory = new MemoryStream();
        await context.Request.Body.CopyToAsync(memory, context.RequestAborted).ConfigureAwait(false);
        var body = memory.ToArray();

        switch (Fault?.Invoke(number))
        {
            case WebhookFault.TooManyRequests t:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = t.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return;
            case WebhookFault.Status s:
                context.Response.StatusCode = s.Code;
                return;
            case WebhookFault.Hang h:
                try
                {
                    await Task.Delay(h.Duration, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                context.Response.StatusCode = 504;
                return;
            case WebhookFault.ResetConnection:
                context.Abort();
                return;
            case WebhookFault.MalformedBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"results\": [ {\"key\": ", context.RequestAborted).ConfigureAwait(false);
                return;
        }

        if (RequiredAuthorization is { } auth && context.Request.Headers.Authorization.ToString() != auth)
        {
            context.Response.StatusCode = 401;
            return;
        }
        var timestamp = context.Request.Headers[WebhookDestination.DefaultTimestampHeader].ToString();
        var signature = context.Request.Headers[WebhookDestination.DefaultSignatureHeader].ToString();
        if (!long.TryParse(timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - seconds) > 300
            || !WebhookSignature.Verify(_secret, timestamp, body, signature))
        {
            Interlocked.Increment(ref _contractViolations);
            context.Response.StatusCode = 403;
            return;
        }

        List<(string Key, string Fields)> records;
        string operation;
        try
        {
            using var document = JsonDocument.Parse(body);
            operation = document.RootElement.GetProperty("operation").GetString()!;
            records = [.. document.RootElement.GetProperty("records").EnumerateArray()
                .Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("fields").GetRawText()))];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Interlocked.Increment(ref _contractViolations);
            context.Response.StatusCode = 400;
            return;
        }
        if (records.Count > MaxBatchSize)
        {
            Interlocked.Increment(ref _contractViolations);
            context.Response.StatusCode = 413;
            return;
        }

        if (ResponseDelay > TimeSpan.Zero) await Task.Delay(ResponseDelay, context.RequestAborted).ConfigureAwait(false);
        Interlocked.Add(ref _records, records.Count);
        var answer = new StringBuilder("{\"results\":[");
        var first = true;
        foreach (var (key, fields) in records)
        {
            var rejected = RejectRecord?.Invoke(key) == true;
            if (!rejected)
            {
                _deliveries.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (KeepState) Apply(operation, key, fields);
            }
            if (!first) answer.Append(',');
            first = false;
            answer.Append("{\"key\":").Append(JsonSerializer.Serialize(key))
                .Append(rejected ? ",\"status\":\"rejected\",\"reason\":\"the receiver refused this record\"}" : ",\"status\":\"ok\"}");
        }
        answer.Append("]}");
        context.Response.StatusCode = 200;
        if (AnswerPerRecord)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private void Apply(string operation, string key, string fields)
    {
        switch (operation)
        {
            case "add" or "upsert":
                _state[key] = fields;
                break;
            case "insert":
                _state.TryAdd(key, fields);
                break;
            case "update":
                if (_state.ContainsKey(key)) _state[key] = fields;
                break;
            case "remove" or "delete" or "archive":
                _state.TryRemove(key, out _);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
