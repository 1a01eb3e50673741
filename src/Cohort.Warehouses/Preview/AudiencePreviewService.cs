using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Audiences;
using Cohort.Core.Privacy;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Warehouses.Preview.Cache;

namespace Cohort.Warehouses.Preview;

/// <summary>
/// Answers the questions asked before activating an audience, each with one compiled statement run in the
/// warehouse: size and the count after each top-level block (one scan), a sample with PII masked unless allowed,
/// a breakdown by a column, and overlaps with other audiences. Used by the CLI and the server alike.
/// </summary>
public sealed class AudiencePreviewService(
    IWarehouse warehouse,
    SchemaDefinition schema,
    IReadOnlyCollection<AudienceDefinition> audiences,
    TimeProvider clock,
    PreviewCache? cache = null)
{
    private readonly AudienceCompiler _compiler = new(schema, audiences);
    private readonly IReadOnlyDictionary<string, AudienceDefinition> _byName = audiences.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public async Task<AudiencePreview> PreviewAsync(AudienceDefinition audience, EvaluationContext ctx, PreviewOptions options, CancellationToken ct = default)
    {
        var timings = new List<QueryTiming>();
        var start = clock.GetTimestamp();
        var (blocks, total, reuse) = await CountsAsync(audience, ctx, ct).ConfigureAwait(false);
        timings.Add(new QueryTiming(reuse is null ? "counts" : $"counts ({reuse})", clock.GetElapsedTime(start)));
        var sample = options.SampleSize > 0
            ? await Timed("sample", timings, () => SampleAsync(audience, ctx, options, ct)).ConfigureAwait(false)
            : null;
        ImmutableArray<BreakdownRow>? breakdown = options.BreakdownColumn is { } column
            ? await Timed("breakdown", timings, () => BreakdownAsync(audience, ctx, column, options.BreakdownGroups, ct)).ConfigureAwait(false)
            : null;
        var overlap = options.OverlapWith.Count > 0
            ? await Timed("overlap", timings, () => OverlapAsync([audience, .. options.OverlapWith.Select(Find)], ctx, ct)).ConfigureAwait(false)
            : null;
        return new AudiencePreview(audience.Name, ctx.AsOfUtc, ctx.TimeZone.Id, total, blocks, sample, breakdown, overlap, [.. timings]);
    }

    public async Task<long> CountAsync(AudienceDefinition audience, EvaluationContext ctx, CancellationToken ct = default) =>
        ToLong(await warehouse.ScalarAsync(_compiler.Count(audience, ctx, warehouse.Dialect), ct).ConfigureAwait(false));

    /// <summary>Counts through the cache when there is one (and the audience has blocks to cache).</summary>
    private async Task<(ImmutableArray<BlockCount> Blocks, long Total, string? Reuse)> CountsAsync(AudienceDefinition audience, EvaluationContext ctx, CancellationToken ct)
    {
        if (cache is not null && await cache.BlockCountsAsync(_compiler, _byName, audience, ctx, ct).ConfigureAwait(false) is { } cached)
        {
            var labels = BlockLabels(audience);
            return ([.. labels.Select((label, i) => new BlockCount(i + 1, label, cached.Counts[i]))], cached.Total,
                $"{cached.Reused} reused, {cached.Computed} computed");
        }
        var (blocks, total) = await BlockCountsAsync(audience, ctx, ct).ConfigureAwait(false);
        return (blocks, total, null);
    }

    private static List<string> BlockLabels(AudienceDefinition audience) =>
        [.. AudienceCompiler.TopLevelBlocks(audience).Select(ConditionDescriber.Describe).Concat(audience.Exclusions.Select(x => $"excluding audience {x}"))];

    /// <summary>Counts after each top-level block and each exclusion, and the final size (after the size limit).</summary>
    public async Task<(ImmutableArray<BlockCount> Blocks, long Total)> BlockCountsAsync(AudienceDefinition audience, EvaluationContext ctx, CancellationToken ct = default)
    {
        var labels = BlockLabels(audience);
        var row = await SingleRowAsync(_compiler.BlockCounts(audience, ctx, warehouse.Dialect), ct).ConfigureAwait(false);
        var blocks = labels.Select((label, i) => new BlockCount(i + 1, label, ToLong(row[i]))).ToImmutableArray();
        return (blocks, ToLong(row[^1]));
    }

    public async Task<PreviewSample> SampleAsync(AudienceDefinition audience, EvaluationContext ctx, PreviewOptions options, CancellationToken ct = default)
    {
        var model = schema.GetModel(audience.Model);
        var columns = (options.SampleColumns ?? model.Columns.Where(c => c.Name != model.PrimaryKey).Select(c => c.Name).ToList()).ToList();
        var unknown = columns.FirstOrDefault(c => model.FindColumn(c) is null);
        if (unknown is not null) throw new ArgumentException($"Model '{model.Name}' has no column '{unknown}'.", nameof(options));
        var masked = options.ShowPii ? [] : columns.Where(c => model.FindColumn(c)!.Pii).ToImmutableArray();
        var keyMasked = !options.ShowPii && model.FindColumn(model.PrimaryKey!)?.Pii == true;
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<object?>>();
        await foreach (var row in warehouse.QueryAsync(_compiler.Sample(audience, ctx, warehouse.Dialect, columns, options.SampleSize), ct).ConfigureAwait(false))
        {
            rows.Add([
                keyMasked ? PiiMask.Mask(row[0]) : row[0],
                .. columns.Select((c, i) => masked.Contains(c) ? PiiMask.Mask(row[i + 1]) : row[i + 1]),
            ]);
        }
        return new PreviewSample([model.PrimaryKey!, .. columns], rows.ToImmutable(), keyMasked ? [model.PrimaryKey!, .. masked] : masked);
    }

    public async Task<ImmutableArray<BreakdownRow>> BreakdownAsync(AudienceDefinition audience, EvaluationContext ctx, string column, int groups, CancellationToken ct = default)
    {
        var model = schema.GetModel(audience.Model);
        var definition = model.FindColumn(column) ?? throw new ArgumentException($"Model '{model.Name}' has no column '{column}'.", nameof(column));
        var rows = ImmutableArray.CreateBuilder<BreakdownRow>();
        await foreach (var row in warehouse.QueryAsync(_compiler.Breakdown(audience, ctx, warehouse.Dialect, column, groups), ct).ConfigureAwait(false))
            rows.Add(new BreakdownRow(definition.Pii ? PiiMask.Mask(row[0]) : row[0], ToLong(row[1])));
        return rows.ToImmutable();
    }

    public async Task<OverlapResult> OverlapAsync(IReadOnlyList<AudienceDefinition> overlapping, EvaluationContext ctx, CancellationToken ct = default)
    {
        var row = await SingleRowAsync(_compiler.Overlap(overlapping, ctx, warehouse.Dialect), ct).ConfigureAwait(false);
        var n = overlapping.Count;
        var sizes = Enumerable.Range(0, n).Select(i => ToLong(row[i])).ToImmutableArray();
        var pairs = ImmutableArray.CreateBuilder<OverlapPair>();
        var index = n;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                pairs.Add(new OverlapPair(overlapping[i].Name, overlapping[j].Name, ToLong(row[index++])));
        long? all = n > 2 ? ToLong(row[index]) : null;
        return new OverlapResult([.. overlapping.Select(a => a.Name)], sizes, pairs.ToImmutable(), all);
    }

    private AudienceDefinition Find(string name) =>
        _byName.TryGetValue(name, out var a) ? a : throw new ArgumentException($"There is no audience named '{name}'.", nameof(name));

    private async Task<object?[]> SingleRowAsync(CompiledSql sql, CancellationToken ct)
    {
        await foreach (var row in warehouse.QueryAsync(sql, ct).ConfigureAwait(false)) return row;
        throw new InvalidOperationException("An aggregate query returned no row.");
    }

    private async Task<T> Timed<T>(string name, List<QueryTiming> timings, Func<Task<T>> run)
    {
        var start = clock.GetTimestamp();
        var result = await run().ConfigureAwait(false);
        timings.Add(new QueryTiming(name, clock.GetElapsedTime(start)));
        return result;
    }

    private static long ToLong(object? value) => Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture);
}
