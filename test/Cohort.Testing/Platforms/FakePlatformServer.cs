using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cohort.Testing.Platforms;

public enum FaultKind
{
    /// <summary>Answer with a status in the platform's error shape (Retry-After when given).</summary>
    Status,
    /// <summary>Never answer (until the client gives up): a timeout.</summary>
    Hang,
    /// <summary>Abort the connection without a response.</summary>
    Reset,
    /// <summary>HTTP 200 with a body that is not what the platform sends.</summary>
    Malformed,
}

/// <summary>A fault injected into the next request whose path contains <see cref="PathContains"/> (any request when null).</summary>
public sealed record Fault(FaultKind Kind, int StatusCode = 0, TimeSpan? RetryAfter = null, string? PathContains = null, string? VendorCode = null)
{
    public static Fault Status(int status, TimeSpan? retryAfter = null, string? path = null, string? vendorCode = null) =>
        new(FaultKind.Status, status, retryAfter, path, vendorCode);

    public static Fault Hang(string? path = null) => new(FaultKind.Hang, PathContains: path);

    public static Fault Reset(string? path = null) => new(FaultKind.Reset, PathContains: path);

    public static Fault Malformed(string? path = null) => new(FaultKind.Malformed, PathContains: path);
}

/// <summary>A request as the fake saw it.</summary>
public sealed class FakeRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    public required IQueryCollection Query { get; init; }

    public required IHeaderDictionary Headers { get; init; }

    public required string Body { get; init; }

    public string? ContentType { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    public JsonNode? Json
    {
        get
        {
            try
            {
                return string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The body as an HTML form (Meta sends form fields).</summary>
    public Dictionary<string, string> Form =>
        Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "");
}

/// <summary>Thrown by a fake's handler to refuse a request in the platform's documented error shape.</summary>
public sealed class FakeReject(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

/// <summary>
/// A contract-enforcing fake of one platform: a real HTTP server (Kestrel) on 127.0.0.1 and a free port. It refuses
/// requests that break the platform's documented contract, keeps the platform's state for assertions, and
/// injects faults (429 with Retry-After, 5xx, hangs, resets, malformed bodies) on demand.
/// </summary>
public abstract class FakePlatformServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly SemaphoreSlim _platform = new(1, 1);
    private readonly List<FakeRequest> _requests = [];
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>The requests that reached the platform logic (passed fault injection).</summary>
    public int Handled { get; private set; }

    public void Inject(Fault fault) => _faults.Enqueue(fault);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 200L * 1024 * 1024);
        _app = builder.Build();
        _app.Run(HandleCoreAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
        _platform.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The platform logic: validate per the contract (throw <see cref="FakeReject"/>), update state, answer.</summary>
    protected abstract Task HandleAsync(FakeRequest request, HttpResponse response);

    /// <summary>Writes the platform's documented error shape.</summary>
    protected abstract Task WriteErrorAsync(HttpResponse response, int status, string code, string message);

    protected static Task WriteJsonAsync(HttpResponse response, JsonNode body, int status = 200, string contentType = "application/json")
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        return response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    protected static FakeReject Reject(int status, string code, string message) => new(status, code, message);

    private async Task HandleCoreAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }
        var request = new FakeRequest
        {
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? "/",
            Query = new QueryCollection(context.Request.Query.ToDictionary(q => q.Key, q => q.Value)),
            Headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)),
            Body = body,
            ContentType = context.Request.ContentType,
        };
        lock (_requests) _requests.Add(request);

        if (TakeFault(request.Path) is { } fault)
        {
            switch (fault.Kind)
            {
                case FaultKind.Hang:
                    try
                    {
                        await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    return;
                case FaultKind.Reset:
                    context.Abort();
                    return;
                case FaultKind.Malformed:
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html>502 upstream glitch</html>");
                    return;
                default:
                    if (fault.RetryAfter is { } wait) context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await WriteErrorAsync(context.Response, fault.StatusCode, fault.VendorCode ?? "INJECTED", "injected fault");
                    return;
            }
        }

        // The platform applies one request at a time: its state (dictionaries, id counters) is not shared between
        // concurrent handlers, as a real platform's writes are atomic per request. Connectors with several requests in
        // flight (HubSpot, Braze, Mailchimp, Data Manager) reach it concurrently through the sync engine.
        await _platform.WaitAsync(context.RequestAborted);
        try
        {
            lock (_requests) Handled++;
            await HandleAsync(request, context.Response);
        }
        catch (FakeReject reject)
        {
            await WriteErrorAsync(context.Response, reject.Status, reject.Code, reject.Message);
        }
        finally
        {
            _platform.Release();
        }
    }

    private Fault? TakeFault(string path)
    {
        lock (_faults)
        {
            if (!_faults.TryPeek(out var next)) return null;
            if (next.PathContains is not null && !path.Contains(next.PathContains, StringComparison.Ordinal)) return null;
            _faults.TryDequeue(out var fault);
            return fault;
        }
    }

    protected static bool IsHex64Lower(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
