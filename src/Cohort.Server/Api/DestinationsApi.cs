using System.Text.Json.Nodes;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Server.Projects;
using Cohort.Server.Scheduling;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

/// <summary>
/// A destination as the API returns it: the stored document (project format, docs/destinations.md) as text and as
/// JSON, the secrets its settings refer to with whether each is set (never a value), and its problems.
/// </summary>
public sealed record DestinationDto(
    string Name, string? Type, string? Description, int Version, string UpdatedBy, DateTimeOffset UpdatedAt, string Format, string Content,
    JsonNode? Definition, IReadOnlyList<SecretStatus> Secrets, bool Valid, IReadOnlyList<DiagnosticDto> Diagnostics);

/// <summary>
/// A sync as the API returns it: the stored document (project format, docs/sync.md) as text and as JSON, a summary,
/// the scheduler's reading of its <c>schedule:</c> and its job (last run, next run), and its problems.
/// </summary>
public sealed record SyncDto(
    string Name, string? Description, string? Audience, string? Model, string? Destination, string? Mode, int Version, string UpdatedBy,
    DateTimeOffset UpdatedAt, string Format, string Content, JsonNode? Definition, Schedule Schedule, SyncJob? Job, bool Valid,
    IReadOnlyList<DiagnosticDto> Diagnostics);

public sealed record SyncValidationDto(bool Valid, string? Name, Schedule Schedule, IReadOnlyList<DiagnosticDto> Diagnostics);

public sealed record RunErrorsDto(SyncRun Run, IReadOnlyList<RunErrorView> Rows);

internal static class DefinitionViews
{
    public static async Task<DestinationDto> DestinationAsync(StoredDestination d, DefinitionService defs, CancellationToken ct) => new(
        d.Document.Name, d.Definition?.Type, d.Definition?.Description, d.Document.Version, d.Document.UpdatedBy, d.Document.UpdatedAt, d.Document.Format,
        d.Document.Content, AsJson(d.Document), await defs.SecretsAsync(d, ct).ConfigureAwait(false), d.IsValid, [.. d.Diagnostics.Select(DiagnosticDto.From)]);

    public static SyncDto Sync(StoredSync s, SyncJob? job) => new(
        s.Document.Name, s.Written?.Description, s.Audience, (s.Written?.Source as Core.Syncs.SyncSource.Model)?.Name, s.Written?.Destination,
        s.Written?.Mode.ToString().ToLowerInvariant(), s.Document.Version, s.Document.UpdatedBy, s.Document.UpdatedAt, s.Document.Format, s.Document.Content,
        AsJson(s.Document), s.Schedule, job, s.IsValid, [.. s.Diagnostics.Select(DiagnosticDto.From)]);

    /// <summary>The stored document as JSON (the same keys as the file; scalars keep their meaning).</summary>
    public static JsonNode? AsJson(StoredDocument doc)
    {
        var root = DocumentReader.ReadText(doc.Content, ProjectState.FormatOf(doc.Format), doc.Name, new DiagnosticBag());
        return root is null ? null : JsonNode.Parse(DocumentConverter.ToJson(root, indented: false));
    }

    public static DocumentFormat Format(HttpRequest request) => Body.IsYaml(request) ? DocumentFormat.Yaml : DocumentFormat.Json;

    /// <summary><c>GET /{name}/versions/{version}</c>: one version with its document, or a 404 problem.</summary>
    public static void MapVersionEndpoints(this RouteGroupBuilder group, string kind) =>
        group.MapGet("/{name}/versions/{version:int}", async Task<Results<Ok<VersionDto>, ProblemHttpResult>> (string name, int version, DocumentStore documents, HttpContext c) =>
            await documents.VersionAsync(kind, name, version, c.RequestAborted) is { } v
                ? TypedResults.Ok(VersionDto.From(v, true)) : Problems.NotFound($"{kind} version", $"{name} v{version}"));
}

public static class DestinationsApi
{
    public static void MapDestinationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/destinations").WithTags("Destinations");
        group.MapGet("/", async Task<Ok<List<DestinationDto>>> (DefinitionService defs, HttpContext c) =>
        {
            var list = new List<DestinationDto>();
            foreach (var d in await defs.ListDestinationsAsync(c.RequestAborted)) list.Add(await DefinitionViews.DestinationAsync(d, defs, c.RequestAborted));
            return TypedResults.Ok(list);
        }).WithSummary("Destinations in the project format; secrets are listed by name (and whether set) only.");
        group.MapGet("/{name}", async Task<Ok<DestinationDto>> (string name, DefinitionService defs, HttpContext c) =>
            TypedResults.Ok(await DefinitionViews.DestinationAsync(await defs.GetDestinationAsync(name, c.RequestAborted), defs, c.RequestAborted)));
        group.MapPost("/", async Task<Created<DestinationDto>> (HttpContext c, DefinitionService defs) =>
        {
            var save = await defs.SaveDestinationAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes),
                DefinitionViews.Format(c.Request), null, ct: c.RequestAborted);
            var dto = await DefinitionViews.DestinationAsync(await defs.GetDestinationAsync(save.Document!.Name, c.RequestAborted), defs, c.RequestAborted);
            return TypedResults.Created($"/api/destinations/{Uri.EscapeDataString(dto.Name)}", dto);
        }).Accepts<JsonObject>("application/json", "application/yaml")
            .WithSummary("Create a destination (admin): name, type, description, settings; values under 'secrets' are encrypted and never returned.");
        group.MapPut("/{name}", async Task<Ok<DestinationDto>> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.SaveDestinationAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes),
                DefinitionViews.Format(c.Request), name, ct: c.RequestAborted);
            return TypedResults.Ok(await DefinitionViews.DestinationAsync(await defs.GetDestinationAsync(name, c.RequestAborted), defs, c.RequestAborted));
        }).Accepts<JsonObject>("application/json", "application/yaml");
        group.MapDelete("/{name}", async Task<NoContent> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.DeleteDestinationAsync(await c.ActorAsync(), name, ct: c.RequestAborted);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/versions", async Task<Ok<List<VersionDto>>> (string name, DocumentStore documents, HttpContext c) =>
            TypedResults.Ok((await documents.VersionsAsync(DocumentKinds.Destination, name, c.RequestAborted)).Select(v => VersionDto.From(v, true)).ToList()));
        group.MapVersionEndpoints(DocumentKinds.Destination);
        group.MapPost("/{name}/versions/{version:int}/restore", async Task<Ok<DestinationDto>> (string name, int version, HttpContext c, DefinitionService defs) =>
        {
            await defs.RestoreDestinationAsync(await c.ActorAsync(), name, version, c.RequestAborted);
            return TypedResults.Ok(await DefinitionViews.DestinationAsync(await defs.GetDestinationAsync(name, c.RequestAborted), defs, c.RequestAborted));
        }).WithSummary("Restore an old version (admin): its document becomes a new version after the checks of a save. Secrets are not versioned: the current values apply.");
    }
}

public static class SyncsApi
{
    public static void MapSyncsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/syncs").WithTags("Syncs");
        group.MapGet("/", async Task<Ok<List<SyncDto>>> (DefinitionService defs, JobStore jobs, HttpContext c) =>
        {
            var jobList = (await jobs.ListAsync(c.RequestAborted)).ToDictionary(j => j.SyncName, StringComparer.Ordinal);
            return TypedResults.Ok((await defs.ListSyncsAsync(c.RequestAborted)).Select(s => DefinitionViews.Sync(s, jobList.GetValueOrDefault(s.Document.Name))).ToList());
        }).WithSummary("Syncs in the project format with their schedule state (last run, duration, next run).");
        group.MapGet("/{name}", async Task<Ok<SyncDto>> (string name, DefinitionService defs, JobStore jobs, HttpContext c) =>
            TypedResults.Ok(DefinitionViews.Sync(await defs.GetSyncAsync(name, c.RequestAborted), await jobs.GetAsync(name, c.RequestAborted))));
        group.MapPost("/validate", async Task<Ok<SyncValidationDto>> (HttpContext c, DefinitionService defs) =>
        {
            var check = await defs.ValidateSyncAsync(await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes), DefinitionViews.Format(c.Request), null, c.RequestAborted);
            return TypedResults.Ok(new SyncValidationDto(check.Succeeded, check.Written?.Name, check.Schedule, [.. check.Diagnostics.Select(DiagnosticDto.From)]));
        }).Accepts<JsonObject>("application/json", "application/yaml").WithSummary("Check a sync (JSON or YAML body) without saving it.");
        group.MapPost("/", async Task<Created<SyncDto>> (HttpContext c, DefinitionService defs, JobStore jobs) =>
        {
            var save = await defs.SaveSyncAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes),
                DefinitionViews.Format(c.Request), null, ct: c.RequestAborted);
            var name = save.Document!.Name;
            return TypedResults.Created($"/api/syncs/{Uri.EscapeDataString(name)}",
                DefinitionViews.Sync(await defs.GetSyncAsync(name, c.RequestAborted), await jobs.GetAsync(name, c.RequestAborted)));
        }).Accepts<JsonObject>("application/json", "application/yaml").ProducesValidationProblem()
            .WithSummary("Create a sync (the project's sync format, docs/sync.md, with an optional schedule).");
        group.MapPut("/{name}", async Task<Ok<SyncDto>> (string name, int? expectedVersion, HttpContext c, DefinitionService defs, JobStore jobs) =>
        {
            await defs.SaveSyncAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes),
                DefinitionViews.Format(c.Request), name, expectedVersion: expectedVersion, ct: c.RequestAborted);
            return TypedResults.Ok(DefinitionViews.Sync(await defs.GetSyncAsync(name, c.RequestAborted), await jobs.GetAsync(name, c.RequestAborted)));
        }).Accepts<JsonObject>("application/json", "application/yaml").WithSummary("Save a new version (?expectedVersion=N refuses if someone saved in between).");
        group.MapDelete("/{name}", async Task<NoContent> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.DeleteSyncAsync(await c.ActorAsync(), name, ct: c.RequestAborted);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/versions", async Task<Ok<List<VersionDto>>> (string name, DocumentStore documents, HttpContext c) =>
            TypedResults.Ok((await documents.VersionsAsync(DocumentKinds.Sync, name, c.RequestAborted)).Select(v => VersionDto.From(v, true)).ToList()));
        group.MapVersionEndpoints(DocumentKinds.Sync);
        group.MapPost("/{name}/versions/{version:int}/restore", async Task<Ok<SyncDto>> (string name, int version, HttpContext c, DefinitionService defs, JobStore jobs) =>
        {
            await defs.RestoreSyncAsync(await c.ActorAsync(), name, version, c.RequestAborted);
            return TypedResults.Ok(DefinitionViews.Sync(await defs.GetSyncAsync(name, c.RequestAborted), await jobs.GetAsync(name, c.RequestAborted)));
        }).WithSummary("Restore an old version: its document becomes a new version after the checks of a save (its audience and destination must exist).");
        group.MapPost("/{name}/trigger", async Task<Results<Accepted, Ok<SyncRun>>> (string name, bool? wait, HttpContext c, DefinitionService defs, SyncRunService runs) =>
        {
            var actor = await c.ActorAsync();
            if (wait == true) return TypedResults.Ok(await runs.RunNowAsync(actor, name, c.RequestAborted));
            await defs.TriggerAsync(actor, name, c.RequestAborted);
            return TypedResults.Accepted($"/api/syncs/{Uri.EscapeDataString(name)}/runs");
        }).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Run now: the job becomes due and the next scheduler tick runs it (202); with ?wait=true this server runs it and answers with the run (409 while it is running). Audited.");
        group.MapPost("/{name}/dry-run", async Task<Ok<PlanView>> (string name, int? sample, SyncRunService runs, HttpContext c) =>
            TypedResults.Ok(await runs.PlanAsync(await c.ActorAsync(), name, sample ?? 20, c.RequestAborted)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The next run's plan without sending: rows added, changed and removed, per operation, skipped, and a sample (?sample=N, PII masked without PII access).");
        group.MapGet("/{name}/runs", async Task<Ok<List<SyncRun>>> (string name, int? limit, DefinitionService defs, JobStore jobs, HttpContext c) =>
        {
            await defs.GetSyncAsync(name, c.RequestAborted);
            return TypedResults.Ok(await jobs.RunsAsync(name, limit ?? 100, c.RequestAborted));
        }).WithSummary("Run history of a sync, newest first: status, timings and the engine's row counts.");
        api.MapGet("/runs", async Task<Ok<List<SyncRun>>> (JobStore jobs, HttpContext c, int? limit) =>
            TypedResults.Ok(await jobs.RunsAsync(null, limit ?? 100, c.RequestAborted))).WithTags("Runs").WithSummary("Recent sync runs, newest first.");
        api.MapGet("/runs/{id}", async Task<Ok<SyncRun>> (string id, JobStore jobs, HttpContext c) =>
            TypedResults.Ok(await jobs.RunAsync(id, c.RequestAborted) ?? throw new NotFoundException("run", id))).WithTags("Runs");
        api.MapGet("/runs/{id}/errors", async Task<Ok<RunErrorsDto>> (string id, int? limit, SyncRunService runs, HttpContext c) =>
        {
            var (run, rows) = await runs.ErrorsAsync(id, limit ?? 100, c.RequestAborted);
            return TypedResults.Ok(new RunErrorsDto(run, rows));
        }).WithTags("Runs").WithSummary("The rows a run did not confirm (invalid, rejected, pending) with the destination's reasons.");
    }
}
