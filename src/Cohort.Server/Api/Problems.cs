using Cohort.Core.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cohort.Server;

/// <summary>A diagnostic as the API returns it: the same fields the CLI prints.</summary>
public sealed record DiagnosticDto(string Code, string Severity, string Message, string? File, int? Line, int? Column, string? Path, IReadOnlyList<string> Suggestions)
{
    public static DiagnosticDto From(Diagnostic d) => new(
        d.Code, d.Severity.ToString().ToLowerInvariant(), d.Message,
        string.IsNullOrEmpty(d.Location?.File) ? null : d.Location!.File,
        d.Location is { Line: > 0 } l ? l.Line : null,
        d.Location is { Line: > 0 } c ? c.Column : null,
        string.IsNullOrEmpty(d.Location?.Path) ? null : d.Location!.Path,
        d.Suggestions.IsDefault ? [] : d.Suggestions);
}

/// <summary>
/// Every error response is RFC 9457 ProblemDetails with a stable <c>type</c>. Definition problems carry the CLI's
/// diagnostics in the <c>errors</c> extension. No stack trace or row data ever goes out.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://cohort.dev/problems/";

    public static ProblemHttpResult Create(int status, string type, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + type,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });

    public static ProblemHttpResult Invalid(string title, IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics.Select(DiagnosticDto.From).ToList();
        var errors = list.Count(d => d.Severity == "error");
        return Create(StatusCodes.Status400BadRequest, "invalid-definition", title,
            $"{errors} error{(errors == 1 ? "" : "s")}; nothing was saved.", new Dictionary<string, object?> { ["errors"] = list });
    }

    public static ProblemHttpResult NotFound(string kind, string name) =>
        Create(StatusCodes.Status404NotFound, "not-found", $"No such {kind}", $"There is no {kind} named '{name}'.");

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        Create(StatusCodes.Status400BadRequest, "bad-request", title, detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    public static ProblemHttpResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large", $"The request body is larger than {limit:N0} bytes.");

    /// <summary>Writes a problem straight to a response (authentication handlers, middleware).</summary>
    public static Task Write(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Type = TypeBase + type, Title = title, Detail = detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
