using System.Diagnostics;
using System.Globalization;
using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Demo;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Warehouses;
using Cohort.Warehouses.Preview.Cache;

namespace Cohort.Bench.Audiences;

internal sealed record AudienceTiming(string Audience, long Count, long HandCount, double CohortMs, double HandMs)
{
    public double Ratio => CohortMs / HandMs;
    public bool Match => Count == HandCount;
}

internal sealed record PreviewTiming(string Audience, int Blocks, double ColdMs, double HandMs, double CachedColdMs, double WarmMs, bool Exact, int MaxComputed = 1)
{
    public double ColdRatio => ColdMs / HandMs;
}

internal sealed record EngineResult(string Engine, List<AudienceTiming> Audiences, List<PreviewTiming> Previews);

internal static class Bench
{
    public static async Task<EngineResult> RunAsync(BenchTarget target, BenchOptions options, DemoOptions demo, EvaluationContext ctx)
    {
        var w = target.Warehouse;
        var compiler = new AudienceCompiler(target.Project.Schema, target.Project.Audiences);
        var fill = new Placeholders(ctx.AsOfUtc, DemoProject.Placeholders(demo), w.Dialect);
        var audiences = target.Project.Audiences
            .Where(a => options.Only is null || options.Only.Contains(a.Name))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();

        var timings = new List<AudienceTiming>();
        foreach (var audience in audiences)
        {
            var cohort = compiler.Count(audience, ctx, w.Dialect);
            var hand = new CompiledSql(w.Dialect, fill.Fill(await File.ReadAllTextAsync(HandwrittenPath(audience.Name))), []);
            var count = await CountAsync(w, cohort);      // warm-up, and the two must agree
            var handCount = await CountAsync(w, hand);
            var cohortTimes = new List<double>();
            var handTimes = new List<double>();
            for (var rep = 0; rep < options.Reps; rep++)
            {
                // Alternate which runs first, so caches and noise favour neither.
                if (rep % 2 == 0)
                {
                    cohortTimes.Add(await TimeAsync(() => CountAsync(w, cohort)));
                    handTimes.Add(await TimeAsync(() => CountAsync(w, hand)));
                }
                else
                {
                    handTimes.Add(await TimeAsync(() => CountAsync(w, hand)));
                    cohortTimes.Add(await TimeAsync(() => CountAsync(w, cohort)));
                }
            }
            var timing = new AudienceTiming(audience.Name, count, handCount, Median(cohortTimes), Median(handTimes));
            timings.Add(timing);
            Console.Error.WriteLine($"  {target.Name} {audience.Name}: {timing.Count:N0} ({(timing.Match ? "=" : "MISMATCH " + timing.HandCount)}) cohort {timing.CohortMs:F0} ms, hand {timing.HandMs:F0} ms, x{timing.Ratio:F2}");
        }

        var previews = new List<PreviewTiming>();
        await ResetCacheAsync(target);
        var cache = await PreviewCache.OpenAsync(w, target.CacheLocation, TimeProvider.System);
        var byName = target.Project.Audiences.ToDictionary(a => a.Name);
        foreach (var audience in audiences.Where(a => AudienceCompiler.TopLevelBlocks(a).Count >= 2))
        {
            var blocksSql = compiler.BlockCounts(audience, ctx, w.Dialect);
            var cold = new List<double>();
            for (var rep = 0; rep < options.Reps; rep++) cold.Add(await TimeAsync(() => RowAsync(w, blocksSql)));
            var cachedCold = await TimeAsync(() => cache.BlockCountsAsync(compiler, byName, audience, ctx));
            var warm = new List<double>();
            var exact = true;
            var maxComputed = 0;
            for (var rep = 0; rep < options.Reps; rep++)
            {
                var edited = EditLastBlock(audience, rep + 1);
                var all = new Dictionary<string, AudienceDefinition>(byName) { [edited.Name] = edited };
                var editedCompiler = new AudienceCompiler(target.Project.Schema, all.Values);
                CachedCounts? counts = null;
                warm.Add(await TimeAsync(async () => counts = await cache.BlockCountsAsync(editedCompiler, all, edited, ctx)));
                var expected = await RowAsync(w, editedCompiler.BlockCounts(edited, ctx, w.Dialect));
                // Exact: the cached counts equal a fresh uncached scan. Computed says how many blocks were recomputed
                // (1 when only the edited block was; more when the warehouse's freshness token moved meanwhile).
                exact &= counts!.Counts.SequenceEqual(expected.Take(counts.Counts.Length).Select(ToLong));
                maxComputed = Math.Max(maxComputed, counts.Computed);
            }
            var hand = timings.First(t => t.Audience == audience.Name).HandMs;
            var preview = new PreviewTiming(audience.Name, AudienceCompiler.TopLevelBlocks(audience).Count, Median(cold), hand, cachedCold, Median(warm), exact, maxComputed);
            previews.Add(preview);
            Console.Error.WriteLine($"  {target.Name} preview {audience.Name}: cold {preview.ColdMs:F0} ms (x{preview.ColdRatio:F2}), first cached {preview.CachedColdMs:F0} ms, warm {preview.WarmMs:F0} ms{(exact ? "" : " NOT EXACT")}{(maxComputed > 1 ? $" (recomputed {maxComputed} blocks)" : "")}");
        }
        return new EngineResult(target.Name, timings, previews);
    }

    /// <summary>The user edits one condition: the last block, negated a different number of times per repetition.</summary>
    private static AudienceDefinition EditLastBlock(AudienceDefinition audience, int depth)
    {
        var blocks = ((AllCondition)audience.Condition!).Conditions;
        Condition last = blocks[^1];
        for (var i = 0; i < depth; i++) last = new NotCondition(last);
        return audience with { Condition = new AllCondition([.. blocks.Take(blocks.Length - 1), last]) };
    }

    private static async Task ResetCacheAsync(BenchTarget target)
    {
        if (target.CacheLocation is CacheLocation.DuckDbFile file)
        {
            foreach (var path in new[] { file.CachePath, file.CachePath + ".wal" })
                if (File.Exists(path)) File.Delete(path);
        }
        else
        {
            await target.Warehouse.ExecuteScriptAsync("DROP SCHEMA IF EXISTS cohort_state CASCADE");
        }
    }

    private static string HandwrittenPath(string audience) => Path.Combine(AppContext.BaseDirectory, "Handwritten", audience + ".sql");

    private static async Task<long> CountAsync(IWarehouse w, CompiledSql sql) => ToLong(await w.ScalarAsync(sql));

    private static async Task<object?[]> RowAsync(IWarehouse w, CompiledSql sql)
    {
        await foreach (var row in w.QueryAsync(sql)) return row;
        return [];
    }

    private static async Task<double> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static long ToLong(object? v) => Convert.ToInt64(v ?? 0L, CultureInfo.InvariantCulture);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

internal static class Report
{
    public static void Summary(IReadOnlyList<EngineResult> results)
    {
        foreach (var r in results)
        {
            Console.WriteLine();
            Console.WriteLine($"## {r.Engine}: compiled audience vs hand-written query (count)");
            Console.WriteLine();
            Console.WriteLine("| audience | members | Cohort ms | hand-written ms | ratio |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var t in r.Audiences)
                Console.WriteLine($"| {t.Audience} | {t.Count:N0}{(t.Match ? "" : $" (hand: {t.HandCount:N0}!)")} | {t.CohortMs:F0} | {t.HandMs:F0} | {t.Ratio:F2} |");
            var ratios = r.Audiences.Select(t => t.Ratio).ToList();
            Console.WriteLine();
            Console.WriteLine($"Median ratio {Bench.Median(ratios):F2} (target <= 1.2); worst {ratios.Max():F2} ({r.Audiences.MaxBy(t => t.Ratio)!.Audience}; target <= 2); " +
                              $"{r.Audiences.Count(t => !t.Match)} count mismatch(es).");
            if (r.Previews.Count == 0) continue;
            Console.WriteLine();
            Console.WriteLine($"## {r.Engine}: preview latency (count + per-block counts)");
            Console.WriteLine();
            Console.WriteLine("| audience | blocks | cold ms | hand-written ms | cold ratio | first cached preview ms | warm after one edit ms | blocks recomputed | exact |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var p in r.Previews)
                Console.WriteLine($"| {p.Audience} | {p.Blocks} | {p.ColdMs:F0} | {p.HandMs:F0} | {p.ColdRatio:F2} | {p.CachedColdMs:F0} | {p.WarmMs:F0} | {p.MaxComputed} | {(p.Exact ? "yes" : "NO")} |");
            var cold = r.Previews.Select(p => p.ColdRatio).ToList();
            var warm = r.Previews.Select(p => p.WarmMs).ToList();
            Console.WriteLine();
            Console.WriteLine($"Cold preview: median ratio {Bench.Median(cold):F2}, worst {cold.Max():F2} (target <= 1.3). " +
                              $"Warm preview after one edit: median {Bench.Median(warm):F0} ms, worst {warm.Max():F0} ms (target < 1000 ms).");
        }
    }
}
