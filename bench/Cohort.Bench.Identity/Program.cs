using System.Diagnostics;
using System.Globalization;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Bench.Identity;

/// <summary>
/// Identity graph benchmark (docs/benchmarks.md, "Identity"): connected components over N identifier rows on DuckDB
/// with Cohort's logarithmic algorithm, against naive one-hop-per-round label propagation measured in the same run
/// on the same graph (at --naive-rows, since the baseline needs one full pass per hop).
/// Usage: dotnet run -c Release --project bench/Cohort.Bench.Identity -- [--rows 10000000] [--naive-rows 1000000] [--threads 2]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal) && x.i + 1 < args.Length)
            .ToDictionary(x => x.a[2..], x => args[x.i + 1], StringComparer.Ordinal);
        long Long(string key, long fallback) => options.TryGetValue(key, out var v) ? Parse(v) : fallback;
        var rows = Long("rows", 10_000_000);
        var naiveRows = Long("naive-rows", 1_000_000);
        var threads = (int)Long("threads", 2);
        var work = Path.Combine(Path.GetTempPath(), "cohort-bench-identity", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var file = options.GetValueOrDefault("storage", "memory") == "file";
            await using var warehouse = await WarehouseFactory.OpenAsync(file ? WarehouseOptions.DuckDb(Path.Combine(work, "graph.duckdb"), threads) : WarehouseOptions.DuckDb(":memory:", threads));
            var cpuName = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            var version = await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.DuckDb, "SELECT version()", []));
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
            Console.WriteLine($"# Identity benchmark — load average {load} at start; {Environment.ProcessorCount} cores ({cpuName ?? "unknown CPU"}), DuckDB {version}, {threads} DuckDB threads, {(file ? "file" : "in-memory")} database");
            var sql = new Cohort.Identity.IdentitySql(SqlDialectName.DuckDb, "bench");
            await warehouse.ExecuteScriptAsync("CREATE SCHEMA bench");

            Console.WriteLine($"\n## Same graph, {naiveRows:N0} identifier rows: Cohort vs naive label propagation");
            await GenerateAsync(warehouse, naiveRows);
            var cpu = Cpu();
            var fast = await Cohort.Identity.ConnectedComponents.RunAsync(warehouse, sql, "edges", "fast", TimeProvider.System, default);
            var fastCpu = Cpu() - cpu;
            Console.WriteLine($"cohort : {fast.Elapsed.TotalSeconds,8:0.00} s wall, {fastCpu.TotalSeconds,8:0.00} s CPU  ({fast.Rounds} rounds, {fast.PointerJumps} pointer jumps)");
            cpu = Cpu();
            var naive = await Cohort.Identity.ConnectedComponents.NaiveAsync(warehouse, sql, "edges", "naive", TimeProvider.System, default);
            var naiveCpu = Cpu() - cpu;
            Console.WriteLine($"naive  : {naive.Elapsed.TotalSeconds,8:0.00} s wall, {naiveCpu.TotalSeconds,8:0.00} s CPU  ({naive.Rounds} rounds, one hop each)");
            var differ = await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.DuckDb,
                "SELECT count(*) FROM bench.fast AS f FULL JOIN bench.naive AS n ON f.node = n.node WHERE f.root IS DISTINCT FROM n.root", []));
            Console.WriteLine($"ratio  : {naive.Elapsed.TotalSeconds / fast.Elapsed.TotalSeconds:0.0}x faster (wall), {naiveCpu.TotalSeconds / fastCpu.TotalSeconds:0.0}x (CPU); labels that differ: {differ}");
            await Components(warehouse, "fast");

            if (rows != naiveRows)
            {
                Console.WriteLine($"\n## Cohort alone, {rows:N0} identifier rows");
                var generate = Stopwatch.StartNew();
                await GenerateAsync(warehouse, rows);
                Console.WriteLine($"generated in {generate.Elapsed.TotalSeconds:0.0} s");
                var cpuBig = Cpu();
                var big = await Cohort.Identity.ConnectedComponents.RunAsync(warehouse, sql, "edges", "big", TimeProvider.System, default);
                Console.WriteLine($"cohort : {big.Elapsed.TotalSeconds,8:0.00} s wall, {(Cpu() - cpuBig).TotalSeconds,8:0.00} s CPU  ({big.Rounds} rounds, {big.PointerJumps} pointer jumps)");
                await Components(warehouse, "big");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    /// <summary>
    /// N identifier rows over N/2 records (two identifiers each): record r carries its own value and, unless a chain
    /// breaks there (one record in eight, by hash), the previous record's value, so records form chains of 1 to 64
    /// (geometric lengths, many hops); every 97th record also carries a value shared by a random record far away,
    /// which merges chains into larger trees. Node ids are scrambled so that order gives no shortcut.
    /// </summary>
    private static async Task GenerateAsync(IWarehouse warehouse, long rows)
    {
        var records = rows / 2;
        const long Prime = 2_147_483_647;
        string Scramble(string x) => $"(({x}) * 48271) % {Prime}";
        await warehouse.ExecuteScriptAsync($"""
            DROP TABLE IF EXISTS bench.edges;
            CREATE TABLE bench.edges AS
            WITH r AS (SELECT range AS r FROM range(1, {records + 1}))
            SELECT {Scramble("r")} AS a, {Scramble($"{records} + r")} AS b FROM r
            UNION ALL
            SELECT {Scramble("r")} AS a,
                   CASE WHEN r % 64 <> 0 AND hash(r) % 8 <> 0 THEN {Scramble($"{records} + r + 1")}
                        WHEN r % 97 = 0 THEN {Scramble($"{records} + 1 + hash(r * 7) % {records}")}
                        ELSE {Scramble($"{2 * records} + r")} END AS b
            FROM r
            """);
    }

    private static async Task Components(IWarehouse warehouse, string table)
    {
        var row = new List<object?>();
        await foreach (var r in warehouse.QueryAsync(new CompiledSql(SqlDialectName.DuckDb,
            $"SELECT count(*), count(DISTINCT root), max(n) FROM (SELECT root, count(*) OVER (PARTITION BY root) AS n FROM bench.{table}) AS x", [])))
            row.AddRange(r);
        Console.WriteLine($"graph  : {Convert.ToInt64(row[0], CultureInfo.InvariantCulture):N0} nodes in edges, {Convert.ToInt64(row[1], CultureInfo.InvariantCulture):N0} components, largest {Convert.ToInt64(row[2], CultureInfo.InvariantCulture):N0} nodes");
    }

    /// <summary>CPU time of this process (DuckDB runs in it), to tell the work from waiting on a busy machine.</summary>
    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static long Parse(string text) => text.ToLowerInvariant() switch
    {
        var t when t.EndsWith('m') => long.Parse(t[..^1], CultureInfo.InvariantCulture) * 1_000_000,
        var t when t.EndsWith('k') => long.Parse(t[..^1], CultureInfo.InvariantCulture) * 1_000,
        var t => long.Parse(t, CultureInfo.InvariantCulture),
    };
}
