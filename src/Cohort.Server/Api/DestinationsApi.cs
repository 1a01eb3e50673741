using Cohort.Server.Scheduling;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

public sealed record DestinationDto(int Version, string UpdatedBy, DateTimeOffset UpdatedAt, DestinationDefinition Definition);

public sealed record SyncDto(int Version, string UpdatedBy, DateTimeOffset UpdatedAt, SyncDefinition Definition, SyncJob? Job);

public static class DestinationsApi
{
    public static void MapDestinationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/destinations").WithTags("Destinations");
        group.MapGet("/", async Task<Ok<List<DestinationDefinition>>> (DefinitionService defs, HttpContext c) =>
            TypedResults.Ok(await defs.ListDestinationsAsync(c.RequestAborted))).WithSummary("Destinations; secrets are listed by name only.");
        group.MapGet("/{name}", async Task<Ok<DestinationDto>> (string name, DefinitionService defs, HttpContext c) =>
        {
            var (doc, def) = await defs.GetDestinationAsync(name, c.RequestAborted);
            return TypedResults.Ok(new DestinationDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def));
        });
        group.MapPost("/", async Task<Created<DestinationDto>> (HttpContext c, DefinitionService defs) =>
        {
            var save = await defs.SaveDestinationAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes), null, c.RequestAborted);
            var (doc, def) = await defs.GetDestinationAsync(save.Document!.Name, c.RequestAborted);
            return TypedResults.Created($"/api/destinations/{Uri.EscapeDataString(doc.Name)}", new DestinationDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def));
        }).WithSummary("Create a destination (admin). Values under 'secrets' are encrypted and never returned.");
        group.MapPut("/{name}", async Task<Ok<DestinationDto>> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.SaveDestinationAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes), name, c.RequestAborted);
            var (doc, def) = await defs.GetDestinationAsync(name, c.RequestAborted);
            return TypedResults.Ok(new DestinationDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def));
        });
        group.MapDelete("/{name}", async Task<NoContent> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.DeleteDestinationAsync(await c.ActorAsync(), name, c.RequestAborted);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/versions", async Task<Ok<List<VersionDto>>> (string name, DocumentStore documents, HttpContext c) =>
            TypedResults.Ok((await documents.VersionsAsync(DocumentKinds.Destination, name, c.RequestAborted)).Select(v => VersionDto.From(v, true)).ToList()));
    }
}

public static class SyncsApi
{
    public static void MapSyncsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/syncs").WithTags("Syncs");
        group.MapGet("/", async Task<Ok<List<SyncDto>>> (DefinitionService defs, JobStore jobs, DocumentStore documents, HttpContext c) =>
        {
            var list = new List<SyncDto>();
            foreach (var doc in await documents.ListAsync(DocumentKinds.Sync, c.RequestAborted))
            {
                var (_, def) = await defs.GetSyncAsync(doc.Name, c.RequestAborted);
                list.Add(new SyncDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def, await jobs.GetAsync(doc.Name, c.RequestAborted)));
            }
            return TypedResults.Ok(list);
        }).WithSummary("Sync definitions with their schedule state (last run, duration, next run).");
        group.MapGet("/{name}", async Task<Ok<SyncDto>> (string name, DefinitionService defs, JobStore jobs, HttpContext c) =>
        {
            var (doc, def) = await defs.GetSyncAsync(name, c.RequestAborted);
            return TypedResults.Ok(new SyncDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def, await jobs.GetAsync(name, c.RequestAborted)));
        });
        group.MapPost("/", async Task<Created<SyncDto>> (HttpContext c, DefinitionService defs, JobStore jobs) =>
        {
            var save = await defs.SaveSyncAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes), null, ct: c.RequestAborted);
            var (doc, def) = await defs.GetSyncAsync(save.Document!.Name, c.RequestAborted);
            return TypedResults.Created($"/api/syncs/{Uri.EscapeDataString(doc.Name)}", new SyncDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def, await jobs.GetAsync(doc.Name, c.RequestAborted)));
        }).WithSummary("Create a sync definition (runs come with the sync engine).");
        group.MapPut("/{name}", async Task<Ok<SyncDto>> (string name, HttpContext c, DefinitionService defs, JobStore jobs) =>
        {
            await defs.SaveSyncAsync(await c.ActorAsync(), await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes), name, ct: c.RequestAborted);
            var (doc, def) = await defs.GetSyncAsync(name, c.RequestAborted);
            return TypedResults.Ok(new SyncDto(doc.Version, doc.UpdatedBy, doc.UpdatedAt, def, await jobs.GetAsync(name, c.RequestAborted)));
        });
        group.MapDelete("/{name}", async Task<NoContent> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.DeleteSyncAsync(await c.ActorAsync(), name, c.RequestAborted);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/versions", async Task<Ok<List<VersionDto>>> (string name, DocumentStore documents, HttpContext c) =>
            TypedResults.Ok((await documents.VersionsAsync(DocumentKinds.Sync, name, c.RequestAborted)).Select(v => VersionDto.From(v, true)).ToList()));
        group.MapPost("/{name}/trigger", async Task<Accepted> (string name, HttpContext c, DefinitionService defs) =>
        {
            await defs.TriggerAsync(await c.ActorAsync(), name, c.RequestAborted);
            return TypedResults.Accepted($"/api/syncs/{Uri.EscapeDataString(name)}/runs");
        }).WithSummary("Run now: the job becomes due and the next scheduler tick runs it under its lease. Audited.");
        group.MapPost("/{name}/dry-run", async Task<ProblemHttpResult> (string name, DefinitionService defs, HttpContext c) =>
        {
            await defs.GetSyncAsync(name, c.RequestAborted);
            return Problems.Create(StatusCodes.Status501NotImplemented, "not-implemented", "Dry runs are not available yet",
                "The plan of the next run (adds, changes, removes) comes with the sync engine; this endpoint is reserved for it.");
        }).ProducesProblem(StatusCodes.Status501NotImplemented).WithSummary("The next run's plan without sending (available when the sync engine is connected).");
        group.MapGet("/{name}/runs", async Task<Ok<List<SyncRun>>> (string name, DefinitionService defs, JobStore jobs, HttpContext c) =>
        {
            await defs.GetSyncAsync(name, c.RequestAborted);
            return TypedResults.Ok(await jobs.RunsAsync(name, 100, c.RequestAborted));
        });
        api.MapGet("/runs", async Task<Ok<List<SyncRun>>> (JobStore jobs, HttpContext c, int? limit) =>
            TypedResults.Ok(await jobs.RunsAsync(null, limit ?? 100, c.RequestAborted))).WithTags("Runs").WithSummary("Recent sync runs, newest first.");
    }
}
