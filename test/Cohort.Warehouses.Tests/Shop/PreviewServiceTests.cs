using Cohort.Core.Privacy;
using Cohort.Core.Time;
using Cohort.Testing.Postgres;
using Cohort.Warehouses.Preview;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Warehouses.Tests.Shop;

public abstract class PreviewServiceTests
{
    protected abstract Task<IWarehouse> OpenAsync();

    private static readonly EvaluationContext Now = new(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    [Fact]
    public async Task Preview_counts_blocks_sample_breakdown_and_overlap_consistently()
    {
        var project = ShopFixture.Project();
        await using var warehouse = await OpenAsync();
        await ShopFixture.SeedAsync(warehouse);
        var service = new AudiencePreviewService(warehouse, project.Schema, project.Audiences, new FakeTimeProvider());
        var audience = project.FindAudience("engaged_gb_or_us")!;

        var preview = await service.PreviewAsync(audience, Now, new PreviewOptions { BreakdownColumn = "country", OverlapWith = ["high_value", "recent_purchasers"] });

        Assert.Equal(await service.CountAsync(audience, Now), preview.Count);
        Assert.Equal(3, preview.Blocks.Length);
        Assert.Equal(preview.Count, preview.Blocks[^1].Count);
        Assert.True(preview.Blocks.Zip(preview.Blocks.Skip(1)).All(p => p.First.Count >= p.Second.Count), "Each block can only narrow the audience.");
        Assert.StartsWith("country in", preview.Blocks[0].Label);
        Assert.Equal(preview.Count, preview.Sample!.Rows.Length);
        Assert.Equal(preview.Count, preview.Breakdown!.Value.Sum(b => b.Count));
        Assert.Equal(preview.Count, preview.Overlap!.Sizes[0]);
        Assert.Equal(await service.CountAsync(project.FindAudience("high_value")!, Now), preview.Overlap.Sizes[1]);
        Assert.All(preview.Overlap.Pairs, p => Assert.True(p.Both <= preview.Overlap.Sizes.Max()));
    }

    [Fact]
    public async Task Pii_columns_are_masked_unless_asked()
    {
        var project = ShopFixture.Project();
        await using var warehouse = await OpenAsync();
        await ShopFixture.SeedAsync(warehouse);
        var service = new AudiencePreviewService(warehouse, project.Schema, project.Audiences, TimeProvider.System);
        var audience = project.FindAudience("high_value")!;

        var masked = await service.SampleAsync(audience, Now, new PreviewOptions { SampleColumns = ["email", "country"] });
        Assert.Equal(["email"], masked.MaskedColumns.ToArray());
        Assert.All(masked.Rows, r => Assert.Contains(PiiMask.Hidden, (string)r[1]!));
        Assert.All(masked.Rows, r => Assert.DoesNotContain(PiiMask.Hidden, (string)r[2]!));

        var clear = await service.SampleAsync(audience, Now, new PreviewOptions { SampleColumns = ["email"], ShowPii = true });
        Assert.Empty(clear.MaskedColumns);
        Assert.Contains(clear.Rows, r => (string)r[1]! == "ada@example.com");
    }

    [Fact]
    public async Task Unknown_columns_are_rejected_before_any_query()
    {
        var project = ShopFixture.Project();
        await using var warehouse = await OpenAsync();
        var service = new AudiencePreviewService(warehouse, project.Schema, project.Audiences, TimeProvider.System);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            service.SampleAsync(project.FindAudience("high_value")!, Now, new PreviewOptions { SampleColumns = ["emial"] }));
    }
}

public sealed class DuckDbPreviewServiceTests : PreviewServiceTests
{
    protected override Task<IWarehouse> OpenAsync() => WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb());
}

public sealed class PostgresPreviewServiceTests(PostgresDatabase db) : PreviewServiceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IWarehouse> OpenAsync()
    {
        var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(db.ConnectionString));
        await warehouse.ExecuteScriptAsync("DROP TABLE IF EXISTS customers, orders, order_items, products, events, newsletter_signups");
        return warehouse;
    }
}
