using System.Diagnostics;
using System.Globalization;
using Cohort.Bench.Audiences;
using Cohort.Core.Audiences;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Demo;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;
using Cohort.Warehouses.Preview.Cache;

// Audience benchmark: every demo audience as Cohort compiles it against a hand-written, optimised query
// (Handwritten/*.sql), on DuckDB and PostgreSQL, alternating, several repetitions; then preview latency.
// Usage: dotnet run -c Release --project bench/Cohort.Bench.Audiences -- [--scale 1m] [--engines duckdb,postgres]
//        [--reps 5] [--threads 2] [--dir /tmp/cohort-bench] [--only a,b]
var options = BenchOptions.Parse(args);
var anchor = new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc);
var demo = new DemoOptions { Customers = options.Customers, Seed = 42, AnchorUtc = anchor };
var ctx = EvaluationContext.Utc(anchor);
Directory.CreateDirectory(options.Directory);
Console.WriteLine($"# Cohort audience benchmark: {options.Customers:N0} customers, {options.Reps} repetitions, {options.Threads} DuckDB threads");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Machine.MemoryGiB()} GiB, {Machine.Cpu()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"asOf {anchor:yyyy-MM-ddTHH:mm:ssZ}; medians in ms; ratio = Cohort / hand-written.");

var results = new List<EngineResult>();
foreach (var engine in options.Engines)
{
    await using var target = await BenchTarget.OpenAsync(engine, options, demo);
    results.Add(await Bench.RunAsync(target, options, demo, ctx));
}
Report.Summary(results);

internal sealed record BenchOptions(int Customers, IReadOnlyList<string> Engines, int Reps, int Threads, string Directory, IReadOnlySet<string>? Only)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        if (!DemoOptions.TryParseScale(Get("--scale", "1m"), out var customers)) throw new ArgumentException("--scale: e.g. 100k, 1m, 10m");
        var only = Get("--only", "");
        return new BenchOptions(
            customers,
            Get("--engines", "duckdb,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries),
            int.Parse(Get("--reps", "5"), CultureInfo.InvariantCulture),
            int.Parse(Get("--threads", "2"), CultureInfo.InvariantCulture),
            Get("--dir", Path.Combine(Path.GetTempPath(), "cohort-bench")),
            only.Length == 0 ? null : only.Split(',').ToHashSet());
    }
}

/// <summary>A warehouse holding the demo data, and the project over it.</summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    private PostgresServer? _server;

    public required IWarehouse Warehouse { get; init; }
    public required LoadedProject Project { get; init; }
    public required CacheLocation CacheLocation { get; init; }
    public required string Name { get; init; }

    public static async Task<BenchTarget> OpenAsync(string engine, BenchOptions options, DemoOptions demo)
    {
        var projectDir = Path.Combine(options.Directory, $"project-{engine}-{options.Customers}");
        if (engine == "duckdb")
        {
            var path = Path.Combine(options.Directory, $"demo-{options.Customers}.duckdb");
            if (!await DuckDbIsCurrentAsync(path, demo))
            {
                Console.Error.WriteLine($"Generating {options.Customers:N0} customers into {path} ...");
                var watch = Stopwatch.StartNew();
                await DemoWarehouse.BuildDuckDbAsync(path, demo, options.Threads);
                Console.Error.WriteLine($"  generated in {watch.Elapsed.TotalSeconds:F1} s");
            }
            DemoProject.Write(projectDir, new DemoProjectWarehouse.DuckDb(path), demo);
            return new BenchTarget
            {
                Name = "DuckDB",
                Warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path, options.Threads)),
                Project = Load(projectDir),
                CacheLocation = new CacheLocation.DuckDbFile(path),
            };
        }

        // PostgreSQL: a throwaway cluster (as in the tests), sized for analytics rather than the defaults.
        var server = await PostgresServer.StartAsync();
        var cs = await server.CreateDatabaseAsync();
        var tuned = cs + ";Options=-c work_mem=256MB -c max_parallel_workers_per_gather=2 -c jit=off";
        Console.Error.WriteLine($"Generating {options.Customers:N0} customers into PostgreSQL ...");
        var started = Stopwatch.StartNew();
        await DemoWarehouse.BuildPostgresAsync(tuned, demo, "public");
        Console.Error.WriteLine($"  generated in {started.Elapsed.TotalSeconds:F1} s");
        var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(tuned));
        await warehouse.ExecuteScriptAsync("ANALYZE");
        Environment.SetEnvironmentVariable("COHORT_BENCH_PG", tuned);
        DemoProject.Write(projectDir, new DemoProjectWarehouse.Postgres("COHORT_BENCH_PG", "public"), demo);
        return new BenchTarget
        {
            Name = "PostgreSQL",
            Warehouse = warehouse,
            Project = Load(projectDir),
            CacheLocation = CacheLocation.InPostgres,
            _server = server,
        };
    }

    private static LoadedProject Load(string directory)
    {
        var project = ProjectLoader.Load(directory);
        if (project.HasErrors) throw new InvalidOperationException(string.Join("\n", project.Diagnostics));
        return project;
    }

    private static async Task<bool> DuckDbIsCurrentAsync(string path, DemoOptions demo)
    {
        if (!File.Exists(path)) return false;
        await using var w = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path));
        var info = new Dictionary<string, string>();
        await foreach (var row in w.QueryAsync(new CompiledSql(SqlDialectName.DuckDb, "SELECT key, value FROM demo_info", [])))
            info[(string)row[0]!] = (string)row[1]!;
        return info.GetValueOrDefault("customers") == demo.Customers.ToString(CultureInfo.InvariantCulture)
               && info.GetValueOrDefault("seed") == demo.Seed.ToString(CultureInfo.InvariantCulture)
               && info.GetValueOrDefault("anchor") == demo.AnchorUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Warehouse.DisposeAsync();
        _server?.Stop();
    }
}

internal static class Machine
{
    public static string MemoryGiB() =>
        (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("F0", CultureInfo.InvariantCulture);

    public static string Cpu()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
