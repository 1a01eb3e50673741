using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Server.Services;
using Cohort.Warehouses.Preview;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

public sealed record PreviewBody(
    [property: JsonPropertyName("sample")] int? Sample,
    [property: JsonPropertyName("columns")] List<string>? Columns,
    [property: JsonPropertyName("breakdown")] string? Breakdown,
    [property: JsonPropertyName("overlap")] List<string>? Overlap,
    [property: JsonPropertyName("showPii")] bool? ShowPii,
    [property: JsonPropertyName("definition")] JsonObject? Definition);

public sealed record BlockDto(int Index, string Label, long Count);

public sealed record SampleDto(IReadOnlyList<string> Columns, IReadOnlyList<string> Masked, IReadOnlyList<object?[]> Rows);

public sealed record BreakdownDto(object? Value, long Count);

public sealed record OverlapDto(IReadOnlyList<string> Audiences, IReadOnlyList<long> Sizes, IReadOnlyList<OverlapPair> Pairs, long? All);

public sealed record PreviewDto(string Audience, DateTime AsOf, string TimeZone, long Count, IReadOnlyList<BlockDto> Blocks, SampleDto? Sample,
    IReadOnlyList<BreakdownDto>? Breakdown, OverlapDto? Overlap, IReadOnlyDictionary<string, double> TimingsMs)
{
    public static PreviewDto From(AudiencePreview p) => new(p.Audience, p.AsOfUtc, p.TimeZone, p.Count,
        [.. p.Blocks.Select(b => new BlockDto(b.Index, b.Label, b.Count))],
        p.Sample is null ? null : new SampleDto(p.Sample.Columns, p.Sample.MaskedColumns, [.. p.Sample.Rows.Select(r => r.Select(ValueText.Json).ToArray())]),
        p.Breakdown?.Select(b => new BreakdownDto(ValueText.Json(b.Value), b.Count)).ToList(),
        p.Overlap is null ? null : new OverlapDto(p.Overlap.Audiences, p.Overlap.Sizes, p.Overlap.Pairs, p.Overlap.All),
        p.Timings.ToDictionary(t => t.Query, t => Math.Round(t.Elapsed.TotalMilliseconds, 1)));
}

public static class PreviewsApi
{
    public static void MapPreviewsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/audiences/{name}/preview", async Task<Ok<PreviewDto>> (string name, HttpContext c, AudienceService audiences, PreviewRunner previews) =>
        {
            var body = await ReadAsync(c);
            var audience = await AudiencesApi.Valid(audiences, name, c);
            var preview = await previews.PreviewAsync(await c.ActorAsync(), audience, Request(body), "preview", c.RequestAborted);
            return TypedResults.Ok(PreviewDto.From(preview));
        }).WithTags("Previews").Accepts<PreviewBody>("application/json")
          .WithSummary("Count, count after each top-level block, masked sample, breakdown and overlap of a saved audience. Records a size point.");
        api.MapPost("/previews", async Task<Ok<PreviewDto>> (HttpContext c, AudienceService audiences, PreviewRunner previews) =>
        {
            var body = await ReadAsync(c);
            if (body?.Definition is not { } definition)
                throw new CohortDiagnosticsException([new Diagnostic("COH904", Severity.Error, "A draft preview needs the audience under 'definition'.", SourceLocation.None("definition"), [])]);
            var result = await audiences.ValidateAsync(definition.ToJsonString(), DocumentFormat.Json, null, c.RequestAborted);
            if (!result.Succeeded) throw new CohortDiagnosticsException(result.Diagnostics);
            var preview = await previews.PreviewAsync(await c.ActorAsync(), result.Audience!, Request(body), null, c.RequestAborted);
            return TypedResults.Ok(PreviewDto.From(preview));
        }).WithTags("Previews").Accepts<PreviewBody>("application/json").WithSummary("Preview an unsaved audience given under 'definition'.");
    }

    private static PreviewRequest Request(PreviewBody? body) => new(
        body?.Sample ?? 10, body?.Columns, body?.Breakdown, body?.Overlap, body?.ShowPii ?? false);

    private static async Task<PreviewBody?> ReadAsync(HttpContext c)
    {
        var text = await Body.ReadTextAsync(c.Request, AudienceService.MaxDefinitionBytes);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<PreviewBody>(text);
        }
        catch (JsonException e)
        {
            throw new CohortDiagnosticsException([new Diagnostic("COH900", Severity.Error, $"The request is not valid JSON: {e.Message}",
                new SourceLocation("request", (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, e.Path ?? ""), [])]);
        }
    }
}
