using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Sql.Compile;
using Cohort.Testing.Postgres;
using Cohort.Warehouses.Preview;
using Cohort.Warehouses.Preview.Cache;

namespace Cohort.Warehouses.Tests.Shop;

/// <summary>
/// Warm previews reuse per-block results, recompute only what changed, and never serve a result once the
/// warehouse has changed; counts always equal the uncached single-scan counts.
/// </summary>
public abstract class PreviewCacheTests
{
    protected abstract Task<(IWarehouse Warehouse, CacheLocation Location)> OpenAsync();

    protected static readonly EvaluationContext At = new(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    [Fact]
    public async Task Only_changed_blocks_are_recomputed_and_writes_invalidate_everything()
    {
        var project = ShopFixture.Project();
        var (warehouse, location) = await OpenAsync();
        await using var _ = warehouse;
        await ShopFixture.SeedAsync(warehouse);
        var cache = await PreviewCache.OpenAsync(warehouse, location, TimeProvider.System);
        var audience = project.FindAudience("engaged_gb_or_us")! with { Exclusions = ["cart_abandoners"] };
        var audiences = project.Audiences.Where(a => a.Name != audience.Name).Append(audience).ToDictionary(a => a.Name);

        async Task<CachedCounts> Check(AudienceDefinition a)
        {
            var all = audiences.Values.Where(x => x.Name != a.Name).Append(a).ToDictionary(x => x.Name);
            var cached = (await cache.BlockCountsAsync(new AudienceCompiler(project.Schema, all.Values), all, a, At))!;
            var (blocks, total) = await new AudiencePreviewService(warehouse, project.Schema, all.Values, TimeProvider.System).BlockCountsAsync(a, At);
            Assert.Equal(blocks.Select(b => b.Count), cached.Counts);
            Assert.Equal(total, cached.Total);
            return cached;
        }

        var cold = await Check(audience);
        Assert.Equal((0, 4), (cold.Reused, cold.Computed));

        var warm = await Check(audience);
        Assert.Equal((4, 0), (warm.Reused, warm.Computed));

        var blocks = ((AllCondition)audience.Condition!).Conditions;
        var edited = audience with { Condition = new AllCondition([blocks[0], blocks[1], new PropertyCondition("plan", new PropertyTest(PropertyOperator.Equals, new Operand.Value(new Literal.String("pro"))))]) };
        var partly = await Check(edited);
        Assert.Equal((3, 1), (partly.Reused, partly.Computed));

        await warehouse.ExecuteScriptAsync("INSERT INTO customers (customer_id, country, plan) VALUES (100, 'GB', 'pro')");
        var afterWrite = await Check(edited);
        Assert.Equal((0, 4), (afterWrite.Reused, afterWrite.Computed));
    }

    [Fact]
    public async Task Another_instant_is_another_result()
    {
        var project = ShopFixture.Project();
        var (warehouse, location) = await OpenAsync();
        await using var _ = warehouse;
        await ShopFixture.SeedAsync(warehouse);
        var cache = await PreviewCache.OpenAsync(warehouse, location, TimeProvider.System);
        var audience = project.FindAudience("recent_purchasers")!;
        var audiences = project.Audiences.ToDictionary(a => a.Name);
        var compiler = new AudienceCompiler(project.Schema, project.Audiences);

        var first = (await cache.BlockCountsAsync(compiler, audiences, audience, At))!;
        var later = (await cache.BlockCountsAsync(compiler, audiences, audience, new EvaluationContext(At.AsOfUtc.AddDays(25), At.TimeZone)))!;
        Assert.Equal(1, later.Computed);
        Assert.Equal(3, first.Total);
        Assert.Equal(1, later.Total); // only the order 2.5 hours ago is within 30 days of asOf + 25 days
    }
}

public sealed class DuckDbPreviewCacheTests : PreviewCacheTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cohort-cache-").FullName;

    protected override async Task<(IWarehouse, CacheLocation)> OpenAsync()
    {
        var path = Path.Combine(_directory, $"w{Guid.NewGuid():N}.duckdb");
        return (await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path)), new CacheLocation.DuckDbFile(path));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

// A cluster of its own: freshness is judged by cluster-wide transaction ids, so writes by other test classes on
// the shared cluster would (correctly, conservatively) invalidate results and make the reuse counts flaky.
public sealed class PostgresPreviewCacheTests(PrivatePostgresDatabase db) : PreviewCacheTests, IClassFixture<PrivatePostgresDatabase>
{
    [Fact]
    public async Task A_write_in_progress_when_a_result_was_computed_makes_it_stale_once_committed()
    {
        var project = ShopFixture.Project();
        var (warehouse, location) = await OpenAsync();
        await using var _ = warehouse;
        await ShopFixture.SeedAsync(warehouse);
        var cache = await PreviewCache.OpenAsync(warehouse, location, TimeProvider.System);
        var audience = project.FindAudience("high_value")!;
        var audiences = project.Audiences.ToDictionary(a => a.Name);
        var compiler = new AudienceCompiler(project.Schema, project.Audiences);

        await using var writer = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await writer.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO orders VALUES (999, 2, now()::timestamp, 1000, 'completed')", writer, transaction))
            await insert.ExecuteNonQueryAsync();

        var during = (await cache.BlockCountsAsync(compiler, audiences, audience, At))!;
        Assert.Equal(2, during.Total); // the uncommitted order is invisible
        Assert.Equal(0, (await cache.BlockCountsAsync(compiler, audiences, audience, At))!.Computed);

        await transaction.CommitAsync();
        var after = (await cache.BlockCountsAsync(compiler, audiences, audience, At))!;
        Assert.Equal(1, after.Computed);
        Assert.Equal(3, after.Total);
    }

    protected override async Task<(IWarehouse, CacheLocation)> OpenAsync()
    {
        var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(db.ConnectionString) with { IncludeErrorDetail = true });
        await warehouse.ExecuteScriptAsync("DROP TABLE IF EXISTS customers, orders, order_items, products, events, newsletter_signups; DROP SCHEMA IF EXISTS cohort_state CASCADE");
        return (warehouse, CacheLocation.InPostgres);
    }
}
