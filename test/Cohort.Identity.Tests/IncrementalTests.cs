using Cohort.Testing;
using Cohort.Warehouses;
using CsCheck;

namespace Cohort.Identity.Tests;

/// <summary>Incremental runs give a full run's partition, keep cohort ids stable, and log merges keeping the oldest id.</summary>
public abstract class IncrementalTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    private const string Rules = """
        identifiers:
          user_id: {limit: 1}
          email: {}
          device_id: {}
        priority: [user_id, email, device_id]
        max_profile_size: 12
        sources:
          people: {table: people, key: id, columns: {uid: user_id, email: email, device: device_id}}
        """;

    private static IdentityEngine Engine(IWarehouse warehouse, string state, bool incremental) =>
        new(warehouse, EngineTests<TEngine>.Parse(Rules), TimeProvider.System, new IdentityRunOptions { StateSchema = state, Incremental = incremental });

    private static async Task<Dictionary<string, string>> CohortsAsync(IWarehouse warehouse, string state) =>
        (await warehouse.ReadAllAsync($"SELECT record_key, cohort_id FROM {state}.identity_records")).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

    private static List<string> Partition(Dictionary<string, string> cohorts) => UnionFind.Canonical(cohorts.Select(kv => (kv.Key, kv.Value)));

    [Fact]
    public async Task A_merge_keeps_the_oldest_id_and_untouched_cohorts_keep_theirs()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        await warehouse.ExecuteScriptAsync("""
            CREATE TABLE people (id BIGINT, uid VARCHAR, email VARCHAR, device VARCHAR);
            INSERT INTO people VALUES (1, 'u1', 'a@x.example', NULL), (2, NULL, 'a@x.example', NULL), (3, NULL, 'b@x.example', NULL), (4, NULL, 'c@x.example', NULL)
            """);
        await Engine(warehouse, state, incremental: false).RunAsync();
        var first = await CohortsAsync(warehouse, state);
        await warehouse.ExecuteScriptAsync("INSERT INTO people VALUES (5, NULL, 'b@x.example', NULL)");
        await Engine(warehouse, state, incremental: true).RunAsync();
        var second = await CohortsAsync(warehouse, state);
        Assert.Equal(first["3"], second["5"]);
        // A bridge between {1,2} and {3,5}: created in the same run, so the smaller id wins.
        await warehouse.ExecuteScriptAsync("INSERT INTO people VALUES (6, NULL, 'a@x.example', 'd1'), (7, NULL, 'b@x.example', 'd1')");
        var result = await Engine(warehouse, state, incremental: true).RunAsync();
        Assert.Equal("incremental", result.Mode);
        Assert.Equal(6, result.Recomputed); // everything but record 4
        var third = await CohortsAsync(warehouse, state);
        var kept = string.CompareOrdinal(first["1"], first["3"]) < 0 ? first["1"] : first["3"];
        var absorbed = kept == first["1"] ? first["3"] : first["1"];
        Assert.All(["1", "2", "3", "5", "6", "7"], r => Assert.Equal(kept, third[r]));
        Assert.Equal(first["4"], third["4"]);
        var merge = await warehouse.ReadAllAsync($"SELECT cohort_id, other_cohort_id FROM {state}.identity_merges WHERE action = 'merge'");
        Assert.Equal((kept, absorbed), ((string)merge.Single()[0]!, (string)merge.Single()[1]!));
        // A newer cohort never takes over an older one: 8 joins 4's cohort (run 1) from a cohort made now.
        await warehouse.ExecuteScriptAsync("INSERT INTO people VALUES (8, NULL, 'z@x.example', NULL), (9, NULL, 'z@x.example', NULL)");
        await Engine(warehouse, state, incremental: true).RunAsync();
        var fourth = await CohortsAsync(warehouse, state);
        await warehouse.ExecuteScriptAsync("UPDATE people SET email = 'c@x.example' WHERE id = 9");
        await Engine(warehouse, state, incremental: true).RunAsync();
        var fifth = await CohortsAsync(warehouse, state);
        Assert.Equal(first["4"], fifth["9"]);
        Assert.Equal(fourth["8"], fifth["8"]);
    }

    [Fact]
    public async Task Incremental_runs_equal_a_full_run_after_random_changes()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        var fullState = state + "_full";
        var gen = Gen.Int[0, int.MaxValue].Select(seed => seed);
        await gen.SampleAsync(async seed =>
        {
            var random = new Random(seed);
            var pool = random.Next(5, 60);
            object?[] Row(long id) =>
            [
                id,
                random.Next(5) == 0 ? $"u{random.Next(pool / 3 + 1)}" : null,
                random.Next(3) == 0 ? null : $"e{random.Next(pool)}@x.example",
                random.Next(3) == 0 ? $"d{random.Next(pool / 2 + 1)}" : null,
            ];
            await warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS people; CREATE TABLE people (id BIGINT, uid VARCHAR, email VARCHAR, device VARCHAR); DROP SCHEMA IF EXISTS {state} CASCADE");
            var next = 1L;
            await warehouse.BulkLoadAsync("people", ["id", "uid", "email", "device"], Enumerable.Range(0, random.Next(5, 80)).Select(_ => Row(next++)).ToList());
            await Engine(warehouse, state, incremental: false).RunAsync();
            for (var step = 0; step < 3; step++)
            {
                var before = await CohortsAsync(warehouse, state);
                // Inserts, updates and deletes.
                await warehouse.BulkLoadAsync("people", ["id", "uid", "email", "device"], Enumerable.Range(0, random.Next(0, 15)).Select(_ => Row(next++)).ToList());
                for (var i = 0; i < random.Next(0, 5); i++)
                    await warehouse.ExecuteScriptAsync($"UPDATE people SET email = 'e{random.Next(pool)}@x.example' WHERE id = {random.NextInt64(1, next)}");
                for (var i = 0; i < random.Next(0, 3); i++)
                    await warehouse.ExecuteScriptAsync($"DELETE FROM people WHERE id = {random.NextInt64(1, next)}");
                var incremental = await Engine(warehouse, state, incremental: true).RunAsync();
                await warehouse.ExecuteScriptAsync($"DROP SCHEMA IF EXISTS {fullState} CASCADE");
                await Engine(warehouse, fullState, incremental: false).RunAsync();
                var after = await CohortsAsync(warehouse, state);
                Assert.Equal(Partition(await CohortsAsync(warehouse, fullState)), Partition(after));
                Assert.True(incremental.Recomputed <= after.Count);
                // Stability: a cohort whose records are all still together and alone keeps its id.
                foreach (var group in before.GroupBy(kv => kv.Value))
                {
                    var keys = group.Select(kv => kv.Key).Where(after.ContainsKey).ToList();
                    if (keys.Count == 0) continue;
                    var now = keys.Select(k => after[k]).Distinct().ToList();
                    if (now.Count == 1 && after.Count(kv => kv.Value == now[0]) == keys.Count)
                        Assert.Equal(group.Key, now[0]);
                }
            }
        }, seed: "0N0XIzNsQ0O2", iter: warehouse.Dialect == Sql.SqlDialectName.DuckDb ? 6 : 3, threads: 1);
    }
}

public sealed class DuckDbIncrementalTests(DuckDbIdentityEngine engine) : IncrementalTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresIncrementalTests(PostgresIdentityEngine engine) : IncrementalTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;
