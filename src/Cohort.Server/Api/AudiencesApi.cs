using System.Text.Json.Nodes;
using Cohort.Core.Audiences;
using Cohort.Core.Documents;
using Cohort.Server.Projects;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

public sealed record AudienceDto(
    string Name, string? Model, string? Description, IReadOnlyList<string> Labels, string? Folder, int Version,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, bool Valid,
    IReadOnlyList<DiagnosticDto> Diagnostics, string Yaml, JsonNode? Definition)
{
    public static AudienceDto From(StoredAudience a) => new(
        a.Document.Name, a.Definition?.Model, a.Definition?.Description, a.Definition?.Labels ?? [], a.Definition?.Folder, a.Document.Version,
        a.Document.CreatedBy, a.Document.CreatedAt, a.Document.UpdatedBy, a.Document.UpdatedAt, a.IsValid,
        [.. a.Diagnostics.Select(DiagnosticDto.From)],
        a.Document.Format == "yaml" ? a.Document.Content : a.Definition is null ? a.Document.Content : AudienceWriter.ToYaml(a.Definition),
        a.Definition is null ? null : JsonNode.Parse(AudienceWriter.ToJson(a.Definition)));
}

public sealed record ValidationDto(bool Valid, string? Name, IReadOnlyList<DiagnosticDto> Diagnostics);

public sealed record SqlDto(string Dialect, string Sql, IReadOnlyList<string> Parameters);

public static class AudiencesApi
{
    public static void MapAudiencesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audiences").WithTags("Audiences");
        group.MapGet("/", async Task<Ok<List<AudienceSummary>>> (AudienceService audiences, HttpContext c) =>
            TypedResults.Ok(await audiences.ListAsync(c.RequestAborted))).WithSummary("Every audience with size, freshness, owner, labels and folder.");
        group.MapGet("/{name}", async Task<Ok<AudienceDto>> (string name, AudienceService audiences, HttpContext c) =>
            TypedResults.Ok(AudienceDto.From(await audiences.GetAsync(name, c.RequestAborted))));
        group.MapPost("/validate", async Task<Ok<ValidationDto>> (HttpContext c, AudienceService audiences) =>
        {
            var text = await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes);
            var result = await audiences.ValidateAsync(text, Format(c.Request), null, c.RequestAborted);
            return TypedResults.Ok(new ValidationDto(result.Succeeded, result.Audience?.Name, [.. result.Diagnostics.Select(DiagnosticDto.From)]));
        }).Accepts<JsonObject>("application/json", "application/yaml").WithSummary("Validate an audience (JSON or YAML body) without saving it.");
        group.MapPost("/", async Task<Created<AudienceDto>> (HttpContext c, AudienceService audiences) =>
        {
            var text = await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes);
            var save = await audiences.SaveAsync(await c.ActorAsync(), text, Format(c.Request), null, null, null, c.RequestAborted);
            return TypedResults.Created($"/api/audiences/{Uri.EscapeDataString(save.Document!.Name)}", AudienceDto.From(await audiences.GetAsync(save.Document.Name, c.RequestAborted)));
        }).Accepts<JsonObject>("application/json", "application/yaml").ProducesValidationProblem().WithSummary("Create an audience. Errors come back as diagnostics in 'errors'.");
        group.MapPut("/{name}", async Task<Ok<AudienceDto>> (string name, int? expectedVersion, HttpContext c, AudienceService audiences) =>
        {
            var text = await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes);
            await audiences.SaveAsync(await c.ActorAsync(), text, Format(c.Request), name, expectedVersion, null, c.RequestAborted);
            return TypedResults.Ok(AudienceDto.From(await audiences.GetAsync(name, c.RequestAborted)));
        }).Accepts<JsonObject>("application/json", "application/yaml").WithSummary("Save a new version (?expectedVersion=N refuses if someone saved in between).");
        group.MapDelete("/{name}", async Task<NoContent> (string name, HttpContext c, AudienceService audiences) =>
        {
            await audiences.DeleteAsync(await c.ActorAsync(), name, c.RequestAborted);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/versions", async Task<Ok<List<VersionDto>>> (string name, AudienceService audiences, HttpContext c) =>
        {
            var versions = await audiences.VersionsAsync(name, c.RequestAborted);
            if (versions.Count == 0) throw new NotFoundException("audience", name);
            return TypedResults.Ok(versions.Select(v => VersionDto.From(v, false)).ToList());
        });
        group.MapGet("/{name}/versions/{version:int}", async Task<Results<Ok<VersionDto>, ProblemHttpResult>> (string name, int version, DocumentStore documents, HttpContext c) =>
            await documents.VersionAsync(DocumentKinds.Audience, name, version, c.RequestAborted) is { } v
                ? TypedResults.Ok(VersionDto.From(v, true)) : Problems.NotFound("audience version", $"{name} v{version}"));
        group.MapPost("/{name}/versions/{version:int}/restore", async Task<Ok<AudienceDto>> (string name, int version, HttpContext c, AudienceService audiences) =>
        {
            await audiences.RestoreAsync(await c.ActorAsync(), name, version, c.RequestAborted);
            return TypedResults.Ok(AudienceDto.From(await audiences.GetAsync(name, c.RequestAborted)));
        }).WithSummary("Restore an old version: its content becomes a new version.");
        group.MapGet("/{name}/sql", async Task<Ok<List<SqlDto>>> (string name, AudienceService audiences, PreviewRunner previews, HttpContext c) =>
        {
            var audience = await Valid(audiences, name, c);
            var sql = await previews.SqlAsync(audience, c.RequestAborted);
            return TypedResults.Ok(sql.Select(p => new SqlDto(p.Key, p.Value.Text, [.. p.Value.Parameters.Select(x => x.ToString())])).ToList());
        }).WithSummary("The members query in both dialects, with its bound parameters.");
        group.MapGet("/{name}/sizes", async Task<Ok<List<SizePoint>>> (string name, SizeHistory sizes, AudienceService audiences, HttpContext c) =>
        {
            await audiences.GetAsync(name, c.RequestAborted);
            return TypedResults.Ok(await sizes.SeriesAsync(name, 200, c.RequestAborted));
        }).WithSummary("Audience size over time (a point per preview or refresh).");
    }

    internal static async Task<AudienceDefinition> Valid(AudienceService audiences, string name, HttpContext c)
    {
        var stored = await audiences.GetAsync(name, c.RequestAborted);
        if (!stored.IsValid) throw new Core.Diagnostics.CohortDiagnosticsException(stored.Diagnostics);
        return stored.Definition!;
    }

    private static DocumentFormat Format(HttpRequest request) => Body.IsYaml(request) ? DocumentFormat.Yaml : DocumentFormat.Json;
}
