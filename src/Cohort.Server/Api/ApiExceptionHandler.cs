using Cohort.Core.Diagnostics;
using Cohort.Server.Security;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Cohort.Warehouses;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cohort.Server.Api;

/// <summary>Maps the services' exceptions to ProblemDetails. Unknown exceptions become a 500 with no internals.</summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var result = exception switch
        {
            CohortDiagnosticsException d => Problems.Invalid("The definition has errors", d.Diagnostics),
            PermissionDeniedException p => Problems.Forbidden(p.Message),
            NotFoundException n => Problems.NotFound(n.Kind, n.Name),
            IdentityNotRunException i => Problems.Create(StatusCodes.Status404NotFound, "identity-not-run", "Identity resolution has not run", i.Message),
            VersionConflictException v when v.Actual < 0 => Problems.Conflict($"That name is taken. {v.Message.Split(':')[0]}."),
            VersionConflictException v => Problems.Conflict(v.Message),
            RequestException r => Problems.BadRequest(r.Title, r.Message),
            ConflictException c => Problems.Conflict(c.Message),
            FeatureNotAvailableException f => Problems.Create(StatusCodes.Status501NotImplemented, "not-implemented", "Not available", f.Message),
            PayloadTooLargeException t => Problems.TooLarge(t.Limit),
            BadHttpRequestException b => Problems.Create(b.StatusCode, "bad-request", "Bad request", b.Message),
            WarehouseException w => Problems.Create(StatusCodes.Status502BadGateway, "warehouse-error", "The warehouse failed", w.Message,
                new Dictionary<string, object?> { ["transient"] = w.IsTransient }),
            _ => null,
        };
        if (result is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            result = Problems.Create(StatusCodes.Status500InternalServerError, "internal", "Internal error", "This is a bug in Cohort; the server log has the details.");
        }
        await result.ExecuteAsync(context).ConfigureAwait(false);
        return true;
    }
}

/// <summary>The request body is larger than the endpoint accepts.</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"The request body is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

internal static class Body
{
    /// <summary>Reads the body as UTF-8 text, refusing more than <paramref name="limit"/> bytes (before parsing anything).</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit) throw new PayloadTooLargeException(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) throw new PayloadTooLargeException(limit);
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static bool IsYaml(HttpRequest request) =>
        request.ContentType is { } type && (type.Contains("yaml", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));
}
