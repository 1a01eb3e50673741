using Cohort.Core.Schema;
using Cohort.Server.Projects;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Cohort.Warehouses.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

public sealed record ColumnDto(string Name, string Type, bool Pii, string? Description, IReadOnlyList<string> EnumValues);

public sealed record ModelDto(string Name, string Kind, string Source, string? PrimaryKey, string? Timestamp, string? EventNameColumn,
    IReadOnlyList<string> Events, string? Description, IReadOnlyList<ColumnDto> Columns);

public sealed record RelationshipDto(string Name, string From, string To, string Cardinality, string FromKey, string ToKey, string? Through, string? ReverseName);

public sealed record TraitDto(string Name, string Model, string Kind, IReadOnlyList<string> Path, string? Column, string? Type, string? Description);

public sealed record SchemaDto(int Version, DateTimeOffset? UpdatedAt, string? UpdatedBy, IReadOnlyList<ModelDto> Models,
    IReadOnlyList<RelationshipDto> Relationships, IReadOnlyList<TraitDto> Traits, IReadOnlyList<DiagnosticDto> Diagnostics)
{
    public static SchemaDto From(ProjectSnapshot s) => new(
        s.SchemaDocument?.Version ?? 0, s.SchemaDocument?.UpdatedAt, s.SchemaDocument?.UpdatedBy,
        [.. s.Schema.Models.Select(m => new ModelDto(m.Name, m.Kind.ToString().ToLowerInvariant(), m.Source.ToString(), m.PrimaryKey, m.TimestampColumn,
            m.EventNameColumn, m.SingleEventName is { } single ? [single] : m.EventNames, m.Description,
            [.. m.Columns.Select(c => new ColumnDto(c.Name, c.Type.ToString(), c.Pii, c.Description, c.EnumValues))]))],
        [.. s.Schema.Relationships.Select(r => new RelationshipDto(r.Name, r.From, r.To, SchemaReader.NameOf(r.Cardinality), r.FromKey, r.ToKey, r.Through?.Model, r.ReverseName))],
        [.. s.Schema.Traits.Select(t => new TraitDto(t.Name, t.Model, SchemaReader.NameOf(t.Kind), t.Path, t.Column, TraitTypes.ResultType(t, s.Index)?.ToString(), t.Description))],
        [.. s.SchemaDiagnostics.Select(DiagnosticDto.From)]);
}

public sealed record VersionDto(int Version, bool Deleted, string Author, DateTimeOffset CreatedAt, string? Comment, string Diff, string? Content)
{
    public static VersionDto From(DocumentVersion v, bool withContent) => new(v.Version, v.Deleted, v.Author, v.CreatedAt, v.Comment, v.Diff, withContent ? v.Content : null);
}

public sealed record SourceDto(string Name, string Type, string Dialect, string? Location, string TimeZone);

public static class SourcesApi
{
    public static void MapSourcesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sources").WithTags("Sources");
        group.MapGet("/", Task<Ok<List<SourceDto>>> (ProjectState project) =>
        {
            var d = project.Definition;
            var source = d.Warehouse switch
            {
                Core.Projects.WarehouseConfig.DuckDb duck => new SourceDto("warehouse", "duckdb", "duckdb", duck.InMemory ? ":memory:" : Path.GetFileName(duck.Path), d.TimeZone),
                Core.Projects.WarehouseConfig.Postgres pg => new SourceDto("warehouse", "postgres", "postgres", pg.ConnectionStringEnv is { } env ? $"${env}" : "connection string", d.TimeZone),
                _ => new SourceDto("warehouse", "unknown", "unknown", null, d.TimeZone),
            };
            return Task.FromResult(TypedResults.Ok(new List<SourceDto> { source }));
        }).WithSummary("The project's warehouse (one source per project today).");
        group.MapPost("/warehouse/check", async Task<Ok<List<DiagnosticDto>>> (ProjectState project, HttpContext c) =>
        {
            var snapshot = await project.CurrentAsync(c.RequestAborted);
            var schema = project.Definition.Warehouse is Core.Projects.WarehouseConfig.Postgres pg ? pg.Schema : null;
            var diagnostics = await new SchemaChecker(await project.WarehouseAsync(c.RequestAborted), schema).CheckAsync(snapshot.Schema, c.RequestAborted);
            return TypedResults.Ok(diagnostics.Select(DiagnosticDto.From).ToList());
        }).WithSummary("Check the schema against the live warehouse: missing tables and columns, type mismatches.");
    }
}

public static class SchemaApi
{
    public static void MapSchemaApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/schema").WithTags("Schema");
        group.MapGet("/", async Task<Ok<SchemaDto>> (ProjectState project, HttpContext c) =>
            TypedResults.Ok(SchemaDto.From(await project.CurrentAsync(c.RequestAborted)))).WithSummary("Models, columns (type, PII, enum values), relationships and traits.");
        group.MapGet("/text", async Task<Results<Ok<VersionDto>, ProblemHttpResult>> (DocumentStore documents, HttpContext c) =>
        {
            var doc = await documents.GetAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, c.RequestAborted);
            return doc is null ? Problems.NotFound("schema", DocumentKinds.SchemaName)
                : TypedResults.Ok(new VersionDto(doc.Version, doc.Deleted, doc.UpdatedBy, doc.UpdatedAt, null, "", doc.Content));
        }).WithSummary("The schema document as stored (YAML).");
        group.MapPut("/", async Task<Ok<VersionDto>> (HttpContext c, SchemaService schema, int? expectedVersion) =>
        {
            var text = await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes);
            var save = await schema.SaveAsync(await c.ActorAsync(), text, Body.IsYaml(c.Request) ? Core.Documents.DocumentFormat.Yaml : Core.Documents.DocumentFormat.Json, expectedVersion, c.RequestAborted);
            return TypedResults.Ok(Version(save));
        }).Accepts<string>("application/yaml", "application/json").WithSummary("Replace the schema (data engineer, admin). A new version; audited.");
        group.MapGet("/versions", async Task<Ok<List<VersionDto>>> (DocumentStore documents, HttpContext c) =>
            TypedResults.Ok((await documents.VersionsAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, c.RequestAborted)).Select(v => VersionDto.From(v, false)).ToList()));
        group.MapGet("/versions/{version:int}", async Task<Results<Ok<VersionDto>, ProblemHttpResult>> (int version, DocumentStore documents, HttpContext c) =>
            await documents.VersionAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, version, c.RequestAborted) is { } v
                ? TypedResults.Ok(VersionDto.From(v, true)) : Problems.NotFound("schema version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        group.MapPost("/versions/{version:int}/restore", async Task<Ok<VersionDto>> (int version, HttpContext c, SchemaService schema) =>
            TypedResults.Ok(Version(await schema.RestoreAsync(await c.ActorAsync(), version, c.RequestAborted))));
        group.MapGet("/models/{model}/columns/{column}/values", async Task<Ok<IReadOnlyList<string>>> (string model, string column, HttpContext c, PreviewRunner previews) =>
            TypedResults.Ok(await previews.SuggestValuesAsync(await c.ActorAsync(), model, column, 20, c.RequestAborted)))
            .WithSummary("Sample values of a column (enum values, else the most frequent parent values; none for PII without PII access).");
        api.MapGet("/traits", async Task<Ok<IReadOnlyList<TraitDto>>> (ProjectState project, HttpContext c) =>
            TypedResults.Ok(SchemaDto.From(await project.CurrentAsync(c.RequestAborted)).Traits)).WithTags("Schema");
    }

    internal static VersionDto Version(SaveResult save) =>
        save.Version is { } v ? VersionDto.From(v, true)
            : new VersionDto(save.Document!.Version, save.Document.Deleted, save.Document.UpdatedBy, save.Document.UpdatedAt, "unchanged", "", save.Document.Content);
}

public static class IdentityApi
{
    public static void MapIdentityApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/identity").WithTags("Identity");
        group.MapGet("/profiles/{id}/explanation", async Task<Ok<IdentityExplanationDto>> (string id, HttpContext c, IdentityService identity) =>
            TypedResults.Ok(await identity.ExplainAsync(await c.ActorAsync(), id, c.RequestAborted)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Why a profile's records are one: its records, the shared identifier values that joined them (with the rule), "
                + "and every identifier value with its status (linked, blocked, dropped) and reason. Values masked without PII access.");
        group.MapGet("/records/{source}/{key}", async Task<Ok<IdentityRecordCohortDto>> (string source, string key, IdentityService identity, HttpContext c) =>
            TypedResults.Ok(await identity.CohortOfAsync(source, key, c.RequestAborted)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The profile (cohort) a source record belongs to.");
        group.MapGet("/why", async Task<Ok<IdentityWhyDto>> (string? a, string? b, HttpContext c, IdentityService identity) =>
            TypedResults.Ok(await identity.WhyAsync(await c.ActorAsync(), a, b, c.RequestAborted)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Why two records (a=source:key, b=source:key) are one profile: the shortest path of shared values or probabilistic "
                + "matches; or, apart, the path that would have joined them with the hops set aside (blocked value, limit rule, "
                + "match probability below threshold). Identifier values masked without PII access.");
    }
}
