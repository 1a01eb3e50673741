using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Collections.Immutable;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Webhook;
using Cohort.Sql;
using Cohort.Sync;
using Cohort.Sync.Definitions;
using Cohort.Sync.Running;
using Cohort.Testing.Sync;
using Cohort.Warehouses;

namespace Cohort.Bench.Sync;

/// <summary>
/// Sync benchmarks (docs/benchmarks.md, "Sync"), each against a baseline measured in the same run:
/// planning N rows against an N-row snapshot with 1% churn on DuckDB (vs a hand-written EXCEPT diff), end to end to a
/// loopback webhook (vs a raw HTTP sender), and a rate-limited run (vs a raw sender paced to the same rate).
/// Usage: dotnet run -c Release --project bench/Cohort.Bench.Sync -- [--plan-rows 10000000] [--e2e-rows 1000000]
///        [--rate-rows 200000] [--rate 20] [--only plan|e2e|rate]
/// </summary>
public static class Program
{
    private const string Secret = "bench-secret";

    public static async Task<int> Main(string[] args)
    {
        var options = Args(args);
        var planRows = Long(options, "plan-rows", 10_000_000);
        var e2eRows = Long(options, "e2e-rows", 1_000_000);
        var rateRows = Long(options, "rate-rows", 200_000);
        var rate = Long(options, "rate", 20);
        var only = options.GetValueOrDefault("only");
        var work = Path.Combine(Path.GetTempPath(), "cohort-bench-sync", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await Machine(work);
            if (only is null or "plan") await PlanningAsync(work, planRows);
            if (only is null or "e2e") await EndToEndAsync(work, e2eRows);
            if (only is null or "rate") await RateLimitedAsync(work, rateRows, (int)rate);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    // ---------------------------------------------------------------- planning

    private static async Task PlanningAsync(string work, long rows)
    {
        Console.WriteLine($"\n## Planning: {rows:N0}-row audience against a {rows:N0}-row snapshot, 1% churn (DuckDB file)");
        var project = Project(Path.Combine(work, "plan"), "memory", "mode: mirror");
        var memory = new MemoryDestinationStore();
        var catalog = DestinationCatalog.CreateDefault().Register(memory.Type());
        var (loaded, sync) = Bind(project, catalog);
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(Path.Combine(work, "plan.duckdb")));
        var engine = new SyncEngine(warehouse, loaded, catalog);
        var options = new SyncRunOptions { Evaluation = EvaluationContext.Utc(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)) };

        var setup = Stopwatch.StartNew();
        await warehouse.ExecuteScriptAsync(People(0, rows));
        Console.WriteLine($"  setup: {rows:N0} people in {setup.Elapsed.TotalSeconds:0.0} s");
        var first = Stopwatch.StartNew();
        var initial = await engine.PlanAsync(sync, options, sampleSize: 0);
        Console.WriteLine($"  first plan (all {initial.Counts.Added:N0} rows added, written in key order): {first.Elapsed.TotalSeconds:0.00} s");
        // Commit that plan as a completed run would, and keep the typed rows for the baseline.
        await warehouse.ExecuteScriptAsync("""
            INSERT INTO cohort_state.sync_bench_snapshot SELECT key, md5_number(payload), payload FROM cohort_state.sync_bench_plan;
            CREATE TABLE baseline_snapshot AS SELECT id, email, score, signup_at FROM people WHERE active;
            CHECKPOINT;
            """);
        // 1% churn: 0.5% changed, 0.25% leave, 0.25% enter.
        await warehouse.ExecuteScriptAsync($"""
            UPDATE people SET score = score + 1 WHERE id % 200 = 0;
            UPDATE people SET active = FALSE WHERE id % 400 = 1;
            {People(rows, rows / 400)}
            CHECKPOINT;
            """);

        var ours = new List<double>();
        var baseline = new List<double>();
        Cohort.Sync.Planning.PlanCounts? counts = null;
        long baselineRows = 0;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            counts = (await engine.PlanAsync(sync, options, sampleSize: 0)).Counts;
            ours.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            await warehouse.ExecuteScriptAsync("""
                CREATE OR REPLACE TABLE baseline_diff AS
                (SELECT 'current' AS side, * FROM (SELECT id, email, score, signup_at FROM people WHERE active EXCEPT SELECT * FROM baseline_snapshot))
                UNION ALL
                (SELECT 'snapshot' AS side, * FROM (SELECT * FROM baseline_snapshot EXCEPT SELECT id, email, score, signup_at FROM people WHERE active))
                """);
            baseline.Add(watch.Elapsed.TotalSeconds);
            baselineRows = Convert.ToInt64(await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.DuckDb, "SELECT count(*) FROM baseline_diff", [])), CultureInfo.InvariantCulture);
        }
        var o = Median(ours);
        var b = Median(baseline);
        Console.WriteLine($"  plan: {counts!.Added:N0} added, {counts.Changed:N0} changed, {counts.Removed:N0} removed (result {counts.ResultSize:N0})");
        Console.WriteLine($"  Cohort plan (payload JSON + md5 + diff + removed payloads), median of 3: {o:0.00} s   [target < 10 s]");
        Console.WriteLine($"  baseline: hand-written EXCEPT of typed columns both ways ({baselineRows:N0} rows), median of 3: {b:0.00} s");
        Console.WriteLine($"  ratio Cohort / baseline: {o / b:0.00}");
    }

    // ---------------------------------------------------------------- end to end

    private static async Task EndToEndAsync(string work, long rows)
    {
        Console.WriteLine($"\n## End to end: {rows:N0} rows to the loopback webhook (batch 1,000, 4 in flight)");
        await using var server = await FakeWebhookServer.StartAsync(Secret, maxBatchSize: 1000);
        server.KeepState = false;
        server.AnswerPerRecord = false;
        var project = Project(Path.Combine(work, "e2e"), "hook", "mode: upsert", $"type: webhook\nsettings:\n  url: {server.Url}\n  secret: {{env: BENCH_SECRET}}\n  batch_size: 1000\n  max_concurrency: 4\n");
        var catalog = DestinationCatalog.CreateDefault();
        var (loaded, sync) = Bind(project, catalog);
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(Path.Combine(work, "e2e.duckdb")));
        await warehouse.ExecuteScriptAsync(People(0, rows));
        var engine = new SyncEngine(warehouse, loaded, catalog, options: new SyncEngineOptions { Secrets = new SecretResolver(_ => Secret) });

        var watch = Stopwatch.StartNew();
        var run = await engine.RunAsync(sync, new SyncRunOptions { CrashHook = Trace(watch) });
        var wall = watch.Elapsed.TotalSeconds;
        var baseline = await RawSenderAsync(server.Url, rows, batch: 1000, concurrency: 4, requestsPerSecond: null);
        Console.WriteLine($"  Cohort run: {run.Counts.Succeeded:N0} rows in {wall:0.00} s = {run.Counts.Succeeded / wall:N0} rows/s (plan {run.Timings.Plan.TotalSeconds:0.00} s, send {run.Timings.Send.TotalSeconds:0.00} s, commit {run.Timings.Commit.TotalSeconds:0.00} s)   [target >= 50,000 rows/s]");
        Console.WriteLine($"  baseline: raw HTTP sender (records prebuilt in memory, same batches, signing, concurrency): {rows / baseline:N0} rows/s ({baseline:0.00} s)");
        Console.WriteLine($"  ratio Cohort / baseline throughput: {rows / wall / (rows / baseline):0.00}");
        if (run.Counts.Succeeded != rows) Console.WriteLine($"  WARNING: {run.Counts.Succeeded} of {rows} rows confirmed ({run.Status}: {run.Error})");
    }

    // ---------------------------------------------------------------- rate limited

    private static async Task RateLimitedAsync(string work, long rows, int rate)
    {
        const int batch = 500;
        Console.WriteLine($"\n## Rate-limited destination: {rows:N0} rows, {rate} requests/s of {batch} rows (ideal {rows / (double)(rate * batch):0.0} s)");
        await using var server = await FakeWebhookServer.StartAsync(Secret, maxBatchSize: batch);
        server.KeepState = false;
        server.AnswerPerRecord = false;
        var project = Project(Path.Combine(work, "rate"), "hook", "mode: upsert",
            $"type: webhook\nsettings:\n  url: {server.Url}\n  secret: {{env: BENCH_SECRET}}\n  batch_size: {batch}\n  max_concurrency: 2\n  requests_per_second: {rate}\n");
        var catalog = DestinationCatalog.CreateDefault();
        var (loaded, sync) = Bind(project, catalog);
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(Path.Combine(work, "rate.duckdb")));
        await warehouse.ExecuteScriptAsync(People(0, rows));
        var engine = new SyncEngine(warehouse, loaded, catalog, options: new SyncEngineOptions { Secrets = new SecretResolver(_ => Secret) });

        var watch = Stopwatch.StartNew();
        var run = await engine.RunAsync(sync, new SyncRunOptions());
        var wall = watch.Elapsed.TotalSeconds;
        var baseline = await RawSenderAsync(server.Url, rows, batch, concurrency: 2, requestsPerSecond: rate);
        Console.WriteLine($"  Cohort run: {wall:0.00} s (plan {run.Timings.Plan.TotalSeconds:0.00} s, send {run.Timings.Send.TotalSeconds:0.00} s, commit {run.Timings.Commit.TotalSeconds:0.00} s)");
        Console.WriteLine($"  baseline: raw HTTP sender paced to {rate} requests/s: {baseline:0.00} s");
        Console.WriteLine($"  engine overhead (Cohort - baseline) / Cohort: {(wall - baseline) / wall * 100:0.0}% of wall time   [target < 5%]");
    }

    /// <summary>Posts prebuilt, signed batches straight from memory: the least any sender could do. Returns seconds.</summary>
    private static async Task<double> RawSenderAsync(Uri url, long rows, int batch, int concurrency, int? requestsPerSecond)
    {
        var context = new DestinationContext("raw", "bench", 0, TimeProvider.System);
        var bodies = new List<byte[]>();
        for (long start = 0; start < rows; start += batch)
        {
            var records = ImmutableArray.CreateBuilder<OutboundRecord>();
            for (var i = start; i < Math.Min(rows, start + batch); i++)
            {
                records.Add(new OutboundRecord(i.ToString(CultureInfo.InvariantCulture),
                    ImmutableDictionary<string, object?>.Empty.Add("email", $"user{i}@example.com").Add("score", i % 1000 * 1.25m).Add("signup_at", "2024-01-01T00:00:00.000000Z"),
                    ImmutableDictionary<IdentifierType, string>.Empty.Add(IdentifierType.Email, $"user{i}@example.com")));
            }
            bodies.Add(WebhookBody.Write(context, new DestinationBatch(BatchOperation.Upsert, records.ToImmutable())));
        }
        using var http = new HttpClient();
        var next = 0;
        var interval = requestsPerSecond is { } r ? TimeSpan.FromSeconds(1.0 / r) : TimeSpan.Zero;
        var slot = Stopwatch.StartNew();
        var slots = 0L;
        var gate = new object();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), async (_, token) =>
        {
            while (true)
            {
                int index;
                TimeSpan wait;
                lock (gate)
                {
                    index = next++;
                    wait = interval * slots++ - slot.Elapsed;
                }
                if (index >= bodies.Count) return;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, token);
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bodies[index]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookDestination.DefaultTimestampHeader, timestamp);
                request.Headers.Add(WebhookDestination.DefaultSignatureHeader, WebhookSignature.Compute(Secret, timestamp, bodies[index]));
                using var response = await http.SendAsync(request, token);
                response.EnsureSuccessStatusCode();
            }
        });
        return watch.Elapsed.TotalSeconds;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>With COHORT_BENCH_TRACE=1, prints when each step of a run is reached (the crash hook used as a probe).</summary>
    private static Func<CrashPoint, ValueTask>? Trace(Stopwatch watch) => Environment.GetEnvironmentVariable("COHORT_BENCH_TRACE") == "1"
        ? p =>
        {
            if (p.Page <= 2 || p.Page % 20 == 0 || p.Page == 0) Console.WriteLine($"    {watch.Elapsed.TotalMilliseconds,8:0} ms  {p}");
            return ValueTask.CompletedTask;
        }
        : null;

    private static string People(long from, long count) => $"""
        {(from == 0 ? "CREATE TABLE people (id BIGINT, email VARCHAR, score DECIMAL(12, 2), active BOOLEAN, signup_at TIMESTAMP);" : "")}
        INSERT INTO people SELECT i, 'user' || i || '@example.com', (i % 1000) * 1.25, TRUE, TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i % 100000000)
        FROM range({from}, {from + count}) AS g(i);
        """;

    private static string Project(string directory, string destination, string mode, string? destinationYaml = null)
    {
        Directory.CreateDirectory(Path.Combine(directory, "audiences"));
        Directory.CreateDirectory(Path.Combine(directory, "syncs"));
        Directory.CreateDirectory(Path.Combine(directory, "destinations"));
        File.WriteAllText(Path.Combine(directory, "cohort.yaml"), "name: bench\nwarehouse: {type: duckdb, path: \":memory:\"}\n");
        File.WriteAllText(Path.Combine(directory, "schema.yaml"), """
            models:
              people:
                kind: parent
                table: people
                primary_key: id
                columns: {id: integer, email: string, score: number, active: boolean, signup_at: timestamp}
            """);
        File.WriteAllText(Path.Combine(directory, "audiences", "active.yaml"), "model: people\ncondition: {property: active, is_true: true}\n");
        File.WriteAllText(Path.Combine(directory, "destinations", destination + ".yaml"), destinationYaml ?? $"type: {destination}\n");
        File.WriteAllText(Path.Combine(directory, "syncs", "bench.yaml"),
            $"audience: active\ndestination: {destination}\n{mode}\nfields: [email, score, signup_at]\nidentifiers: {{email: email}}\n");
        return directory;
    }

    private static (LoadedProject, BoundSync) Bind(string directory, DestinationCatalog catalog)
    {
        var project = ProjectLoader.Load(directory).EnsureValid();
        var bound = SyncProject.Bind(project, catalog);
        if (bound.HasErrors) throw new InvalidOperationException(string.Join("\n", bound.Diagnostics));
        return (project, bound.Find("bench")!);
    }

    private static async Task Machine(string work)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : "?";
        await using var duck = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(Path.Combine(work, "version.duckdb")));
        var version = await duck.ScalarAsync(new CompiledSql(SqlDialectName.DuckDb, "SELECT version()", []));
        Console.WriteLine($"# Sync benchmarks — {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory} memory, .NET {Environment.Version}, DuckDB {version}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static Dictionary<string, string> Args(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) result[args[i].TrimStart('-')] = args[i + 1];
        return result;
    }

    private static long Long(Dictionary<string, string> options, string key, long fallback) =>
        options.TryGetValue(key, out var text) ? long.Parse(text.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;
}
