using Cohort.Testing;
using Cohort.Warehouses;

namespace Cohort.Demo.Tests;

public sealed class DemoWarehouseTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cohort-demo-wh-" + Guid.NewGuid().ToString("N")[..8]);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public async Task The_same_options_give_the_same_data_and_another_seed_other_data()
    {
        await using var a = await DuckDbTestDatabase.CreateAsync();
        await using var b = await DuckDbTestDatabase.CreateAsync();
        await using var c = await DuckDbTestDatabase.CreateAsync();
        await DemoGenerator.GenerateAsync(a.Warehouse, DemoRows.Options(customers: 400));
        await DemoGenerator.GenerateAsync(b.Warehouse, DemoRows.Options(customers: 400));
        await DemoGenerator.GenerateAsync(c.Warehouse, DemoRows.Options(customers: 400, seed: 8));
        foreach (var table in DemoGenerator.Tables)
            Assert.Equal(await DemoRows.TableAsync(a.Warehouse, table), await DemoRows.TableAsync(b.Warehouse, table));
        Assert.NotEqual(await DemoRows.TableAsync(a.Warehouse, "customers"), await DemoRows.TableAsync(c.Warehouse, "customers"));
    }

    [Fact]
    public async Task Rebuilding_replaces_the_file_and_leaves_nothing_behind()
    {
        var path = File("demo.duckdb");
        await DemoWarehouse.BuildDuckDbAsync(path, DemoRows.Options(customers: 200));
        await DemoWarehouse.BuildDuckDbAsync(path, DemoRows.Options(customers: 300));
        Assert.Equal(["demo.duckdb"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("300", await InfoAsync(path, "customers"));
    }

    [Fact]
    public async Task A_cancelled_build_keeps_the_previous_warehouse()
    {
        var path = File("demo.duckdb");
        await DemoWarehouse.BuildDuckDbAsync(path, DemoRows.Options(customers: 200));
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Completed == 5) cancel.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DemoWarehouse.BuildDuckDbAsync(path, DemoRows.Options(customers: 300), progress: progress, cancellationToken: cancel.Token));
        Assert.Equal(["demo.duckdb"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("200", await InfoAsync(path, "customers"));
    }

    [Fact]
    public async Task Progress_reports_every_step_in_order()
    {
        var seen = new List<DemoProgress>();
        await using var db = await DuckDbTestDatabase.CreateAsync();
        await DemoGenerator.GenerateAsync(db.Warehouse, DemoRows.Options(customers: 100), new SyncProgress(seen.Add));
        var total = DemoGenerator.StepCount(DemoRows.Options(customers: 100));
        Assert.Equal(Enumerable.Range(0, total + 1), seen.Select(p => p.Completed));
        Assert.All(seen, p => Assert.Equal(total, p.Total));
    }

    [Theory]
    [InlineData("2000", 2_000)]
    [InlineData("10k", 10_000)]
    [InlineData("1.5m", 1_500_000)]
    [InlineData("1_000_000", 1_000_000)]
    [InlineData("10M", 10_000_000)]
    public void Scales_parse(string text, int customers)
    {
        Assert.True(DemoOptions.TryParseScale(text, out var parsed));
        Assert.Equal(customers, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("1.2345k")]
    [InlineData("-5")]
    [InlineData("5000m")]
    public void Bad_scales_do_not_parse(string text) => Assert.False(DemoOptions.TryParseScale(text, out _));

    [Fact]
    public void Options_outside_the_supported_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoRows.Options(customers: 99).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoRows.Options(customers: 10_000_001).Validate());
        Assert.Throws<ArgumentException>(() => new DemoOptions { AnchorUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local) });
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc), new DemoOptions { AnchorUtc = new DateTime(2026, 1, 1, 0, 0, 1, 999, DateTimeKind.Utc) }.AnchorUtc);
    }

    private static async Task<string?> InfoAsync(string path, string key)
    {
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path));
        return (string?)await warehouse.ScalarAsync($"SELECT value FROM demo_info WHERE key = '{key}'");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class SyncProgress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}
