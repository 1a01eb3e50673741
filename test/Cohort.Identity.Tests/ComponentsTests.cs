using Cohort.Testing;
using Cohort.Warehouses;
using CsCheck;

namespace Cohort.Identity.Tests;

/// <summary>The SQL connected components agree exactly with union-find on randomised graphs, on every engine.</summary>
public abstract class ComponentsTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    /// <summary>Random graphs built from the shapes that break naive algorithms: long chains with shuffled ids, stars, cycles, one huge component, junk hubs, isolated pairs.</summary>
    internal static readonly Gen<List<(long A, long B)>> Graphs =
        Gen.Int[1, 6].Array[1, 5].Select(Gen.Int[0, int.MaxValue], (shapes, seed) =>
        {
            var random = new Random(seed);
            var edges = new List<(long, long)>();
            var next = 1L;
            long[] Fresh(int n)
            {
                var ids = Enumerable.Range(0, n).Select(_ => next++).ToArray();
                random.Shuffle(ids);
                return ids;
            }
            foreach (var shape in shapes)
            {
                switch (shape)
                {
                    case 1: // chain with shuffled ids: many hops
                        var chain = Fresh(random.Next(2, 400));
                        for (var i = 1; i < chain.Length; i++) edges.Add((chain[i - 1], chain[i]));
                        break;
                    case 2: // star
                        var star = Fresh(random.Next(2, 60));
                        for (var i = 1; i < star.Length; i++) edges.Add((star[0], star[i]));
                        break;
                    case 3: // cycle
                        var cycle = Fresh(random.Next(3, 80));
                        for (var i = 0; i < cycle.Length; i++) edges.Add((cycle[i], cycle[(i + 1) % cycle.Length]));
                        break;
                    case 4: // one big random component plus a junk hub touching a tenth of everything so far
                        var big = Fresh(random.Next(50, 300));
                        for (var i = 1; i < big.Length; i++) edges.Add((big[random.Next(i)], big[i]));
                        var hub = next++;
                        for (var i = 0; i < next / 10; i++) edges.Add((hub, random.NextInt64(1, next)));
                        break;
                    case 5: // isolated pairs and duplicates, both directions
                        for (var i = 0; i < random.Next(1, 30); i++)
                        {
                            var a = next++;
                            var b = next++;
                            edges.Add((a, b));
                            edges.Add((b, a));
                        }
                        break;
                    default: // sparse random edges over fresh ids: many small components
                        var ids = Fresh(random.Next(10, 200));
                        for (var i = 0; i < ids.Length / 2; i++) edges.Add((ids[random.Next(ids.Length)], ids[random.Next(ids.Length)]));
                        break;
                }
            }
            return edges;
        });

    [Fact]
    public async Task Components_equal_union_find_on_random_graphs()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        var sql = new IdentitySql(warehouse.Dialect, state);
        await warehouse.ExecuteScriptAsync($"CREATE SCHEMA IF NOT EXISTS {state}");
        await Graphs.SampleAsync(async edges =>
        {
            await warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS {state}.g; CREATE TABLE {state}.g (a BIGINT, b BIGINT)");
            await warehouse.BulkLoadAsync($"{state}.g", ["a", "b"], edges.Select(e => new object?[] { e.A, e.B }).ToList());
            var run = await ConnectedComponents.RunAsync(warehouse, sql, "g", "g_cc", TimeProvider.System, default);
            var rows = await warehouse.ReadAllAsync($"SELECT node, root FROM {state}.g_cc");
            var oracle = new UnionFind();
            foreach (var (a, b) in edges.Where(e => e.A != e.B)) oracle.Union(a, b);
            Assert.Equal(oracle.Partition(), UnionFind.Canonical(rows.Select(r => ((long)r[0]!, (long)r[1]!))));
            // The root is the smallest node of its component.
            Assert.All(rows, r => Assert.Equal(oracle.Find((long)r[0]!), (long)r[1]!));
            // Logarithmic: far fewer rounds than the longest chain (up to 400 hops).
            Assert.True(run.Rounds <= 12, $"{run.Rounds} rounds for {edges.Count} edges");
        }, seed: "0N0XIzNsQ0O2", iter: warehouse.Dialect == Sql.SqlDialectName.DuckDb ? 25 : 10, threads: 1);
    }

    [Fact]
    public async Task A_long_chain_takes_few_rounds_where_label_propagation_takes_one_per_hop()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        var sql = new IdentitySql(warehouse.Dialect, state);
        await warehouse.ExecuteScriptAsync($"CREATE SCHEMA IF NOT EXISTS {state}; CREATE TABLE {state}.chain (a BIGINT, b BIGINT)");
        var ids = Enumerable.Range(1, 160).Select(i => (long)i).ToArray();
        new Random(7).Shuffle(ids);
        await warehouse.BulkLoadAsync($"{state}.chain", ["a", "b"], Enumerable.Range(1, ids.Length - 1).Select(i => new object?[] { ids[i - 1], ids[i] }).ToList());
        var fast = await ConnectedComponents.RunAsync(warehouse, sql, "chain", "fast", TimeProvider.System, default);
        var naive = await ConnectedComponents.NaiveAsync(warehouse, sql, "chain", "naive", TimeProvider.System, default);
        Assert.InRange(fast.Rounds, 1, 10);
        Assert.True(naive.Rounds > 100, $"naive took {naive.Rounds} rounds");
        Assert.Equal(1L, await warehouse.ScalarAsync($"SELECT count(DISTINCT root) FROM {state}.fast"));
        Assert.Equal(0L, await warehouse.ScalarAsync($"SELECT count(*) FROM {state}.fast AS f JOIN {state}.naive AS n ON f.node = n.node WHERE f.root <> n.root"));
    }
}

public sealed class DuckDbComponentsTests(DuckDbIdentityEngine engine) : ComponentsTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresComponentsTests(PostgresIdentityEngine engine) : ComponentsTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;
