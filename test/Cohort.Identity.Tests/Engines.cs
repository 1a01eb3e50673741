using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Identity.Tests;

/// <summary>An engine the identity suites run on (CONVENTIONS: one suite, every executable dialect).</summary>
public abstract class IdentityEngineFixture : IAsyncLifetime
{
    /// <summary>A warehouse with a fresh data schema; identity tables go to the returned state schema.</summary>
    public abstract Task<(IWarehouse Warehouse, string StateSchema)> CreateAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

public sealed class DuckDbIdentityEngine : IdentityEngineFixture
{
    public override async Task<(IWarehouse, string)> CreateAsync() =>
        (await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb()), "cohort_state");
}

public sealed class PostgresIdentityEngine : IdentityEngineFixture
{
    private readonly PostgresDatabase _database = new();

    public override Task InitializeAsync() => _database.InitializeAsync();

    public override Task DisposeAsync() => _database.DisposeAsync();

    public override async Task<(IWarehouse, string)> CreateAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await _database.OpenWarehouseAsync())
            await admin.ExecuteScriptAsync($"CREATE SCHEMA data_{id}");
        return (await _database.OpenWarehouseAsync($"data_{id}"), $"state_{id}");
    }
}

/// <summary>The test oracle: union-find over node ids.</summary>
public sealed class UnionFind
{
    private readonly Dictionary<long, long> _parent = [];

    public long Find(long x)
    {
        if (!_parent.TryGetValue(x, out var p)) { _parent[x] = x; return x; }
        if (p == x) return x;
        var root = Find(p);
        _parent[x] = root;
        return root;
    }

    public void Union(long a, long b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
    }

    public IEnumerable<long> Nodes => _parent.Keys;

    /// <summary>The partition as sorted groups, comparable with <see cref="Partition"/> of another labelling.</summary>
    public List<string> Partition() => Canonical(_parent.Keys.Select(k => (k, Find(k))));

    public static List<string> Canonical(IEnumerable<(long Node, long Label)> labels) =>
        [.. labels.GroupBy(x => x.Label).Select(g => string.Join(",", g.Select(x => x.Node).Order())).Order(StringComparer.Ordinal)];

    public static List<string> Canonical(IEnumerable<(string Node, string Label)> labels) =>
        [.. labels.GroupBy(x => x.Label).Select(g => string.Join(",", g.Select(x => x.Node).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal)];
}
