using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Store;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Warehouses.Preview;

namespace Cohort.Server.Services;

/// <summary>What a caller asks a preview to include.</summary>
public sealed record PreviewRequest(
    int SampleSize = 10,
    IReadOnlyList<string>? SampleColumns = null,
    string? BreakdownColumn = null,
    IReadOnlyList<string>? OverlapWith = null,
    bool ShowPii = false);

/// <summary>
/// Runs previews through <see cref="AudiencePreviewService"/> for the server: PII is shown only to actors with the
/// <see cref="Permission.ViewPii"/> permission (whatever they ask for), and previews of saved audiences record a
/// size point (freshness and the size-over-time chart).
/// </summary>
public sealed class PreviewRunner(ProjectState project, SizeHistory sizes, TimeProvider clock)
{
    public const int MaxSample = 500;

    public async Task<AudiencePreview> PreviewAsync(Actor actor, AudienceDefinition audience, PreviewRequest request, string? recordAs, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        CheckColumns(snapshot.Schema, audience, request);
        var overlap = request.OverlapWith ?? [];
        foreach (var other in overlap)
        {
            var found = snapshot.ValidAudiences.FirstOrDefault(a => a.Name == other) ?? throw new NotFoundException("audience", other);
            if (found.Model != audience.Model)
                throw new RequestException("Overlap needs the same model", $"'{other}' is over '{found.Model}', not '{audience.Model}'.");
        }
        var service = await ServiceAsync(snapshot, audience, ct).ConfigureAwait(false);
        var start = clock.GetTimestamp();
        var preview = await service.PreviewAsync(audience, project.Now(), new PreviewOptions
        {
            SampleSize = Math.Clamp(request.SampleSize, 0, MaxSample),
            SampleColumns = request.SampleColumns,
            ShowPii = request.ShowPii && actor.CanViewPii,
            BreakdownColumn = request.BreakdownColumn,
            OverlapWith = overlap,
        }, ct).ConfigureAwait(false);
        if (recordAs is not null) await sizes.RecordAsync(audience.Name, preview.Count, clock.GetElapsedTime(start), recordAs, ct).ConfigureAwait(false);
        return preview;
    }

    /// <summary>The size and the count after each top-level block (one scan): what the builder shows as the user edits.</summary>
    public async Task<(ImmutableArray<BlockCount> Blocks, long Total, TimeSpan Elapsed)> CountsAsync(AudienceDefinition audience, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var service = await ServiceAsync(snapshot, audience, ct).ConfigureAwait(false);
        var start = clock.GetTimestamp();
        var (blocks, total) = await service.BlockCountsAsync(audience, project.Now(), ct).ConfigureAwait(false);
        return (blocks, total, clock.GetElapsedTime(start));
    }

    /// <summary>Most frequent values of a parent column, for value pickers. None for PII columns unless the actor may see PII.</summary>
    public async Task<IReadOnlyList<string>> SuggestValuesAsync(Actor actor, string model, string column, int max = 20, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var definition = snapshot.Schema.FindModel(model) ?? throw new NotFoundException("model", model);
        var col = definition.FindColumn(column) ?? throw new NotFoundException("column", $"{model}.{column}");
        if (col.EnumValues.Length > 0) return col.EnumValues;
        if (definition.Kind != ModelKind.Parent || col.Type.IsArray || (col.Pii && !actor.CanViewPii)) return [];
        var everyone = new AudienceDefinition("__values", model, null);
        var service = await ServiceAsync(snapshot, everyone, ct).ConfigureAwait(false);
        var rows = await service.BreakdownAsync(everyone, project.Now(), column, max, ct).ConfigureAwait(false);
        return [.. rows.Where(r => r.Value is not null).Select(r => ValueText.Format(r.Value))];
    }

    /// <summary>The SQL of the audience's members query in both dialects (for "view SQL").</summary>
    public async Task<IReadOnlyDictionary<string, CompiledSql>> SqlAsync(AudienceDefinition audience, CancellationToken ct = default)
    {
        var snapshot = await project.CurrentAsync(ct).ConfigureAwait(false);
        var compiler = new AudienceCompiler(snapshot.Schema, [.. snapshot.ValidAudiences.Where(a => a.Name != audience.Name), audience]);
        var ctx = project.Now();
        return new Dictionary<string, CompiledSql>
        {
            ["duckdb"] = compiler.Members(audience, ctx, SqlDialectName.DuckDb),
            ["postgres"] = compiler.Members(audience, ctx, SqlDialectName.Postgres),
        };
    }

    private async Task<AudiencePreviewService> ServiceAsync(ProjectSnapshot snapshot, AudienceDefinition audience, CancellationToken ct)
    {
        var warehouse = await project.WarehouseAsync(ct).ConfigureAwait(false);
        return new AudiencePreviewService(warehouse, snapshot.Schema, [.. snapshot.ValidAudiences.Where(a => a.Name != audience.Name), audience], clock);
    }

    private static void CheckColumns(SchemaDefinition schema, AudienceDefinition audience, PreviewRequest request)
    {
        var model = schema.GetModel(audience.Model);
        foreach (var column in (request.SampleColumns ?? []).Concat(request.BreakdownColumn is null ? [] : [request.BreakdownColumn]))
        {
            if (model.FindColumn(column) is null)
                throw new RequestException("Unknown column", $"Model '{model.Name}' has no column '{column}'.");
        }
    }
}
