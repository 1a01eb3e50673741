using System.Runtime.CompilerServices;
using Cohort.Core.Audiences;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql.Compile;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Testing.Reference;
using Cohort.Warehouses;

namespace Cohort.Sql.Tests.Shop;

/// <summary>
/// The shop example (a different schema from the differential tests: a one-event table, SQL-free table models,
/// traits of every kind) and the golden audiences, evaluated on each engine and by the reference evaluator over the
/// same rows read back from the warehouse.
/// </summary>
public abstract class ShopExampleTests
{
    protected abstract Task<IWarehouse> OpenAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_shop_and_golden_audience_agrees_with_the_reference_evaluator(bool modelsAsSql)
    {
        var loaded = ProjectLoader.Load(ShopDirectory());
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        // The same data through models defined by SQL (derived tables) instead of tables.
        var project = modelsAsSql
            ? loaded with
            {
                Schema = loaded.Schema with
                {
                    Models = [.. loaded.Schema.Models.Select(m => m with { Source = new ModelSource.Query($"SELECT * FROM {((ModelSource.Table)m.Source).Name}\nWHERE 1 = 1") })],
                },
            }
            : loaded;
        var golden = Directory.GetFiles(GoldenDirectory(), "*.audience.yaml")
            .Select(f => ProjectLoader.LoadAudienceText(project, File.ReadAllText(f), DocumentFormat.Yaml, f).Audience!)
            .ToList();
        var audiences = project.Audiences.Concat(golden).ToList();

        await using var warehouse = await OpenAsync();
        await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(Path.Combine(ShopDirectory(), "seed.sql")));
        var ctx = new EvaluationContext(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        var data = await ReadDatasetAsync(warehouse, loaded.Schema);
        var reference = new ReferenceEvaluator(project.Schema, data, audiences);
        var compiler = new AudienceCompiler(project.Schema, audiences);

        var nonEmpty = 0;
        foreach (var audience in audiences)
        {
            var expected = reference.Members(audience, ctx).Select(k => k.ToString()).Order().ToList();
            var actual = new List<string>();
            await foreach (var row in warehouse.QueryAsync(compiler.Members(audience, ctx, warehouse.Dialect)))
                actual.Add(row[0]!.ToString()!);
            Assert.True(expected.SequenceEqual(actual.Order()), $"{audience.Name}: reference [{string.Join(",", expected)}], {warehouse.Dialect} [{string.Join(",", actual.Order())}]");
            if (expected.Count > 0) nonEmpty++;
        }
        Assert.True(nonEmpty >= project.Audiences.Length - 1, "The shop data should make nearly every example audience non-empty.");
    }

    /// <summary>Every model's rows, read back through the warehouse layer's normalised values.</summary>
    private static async Task<ReferenceDataset> ReadDatasetAsync(IWarehouse warehouse, SchemaDefinition schema)
    {
        var data = ReferenceDataset.Empty;
        foreach (var model in schema.Models)
        {
            var table = ((ModelSource.Table)model.Source).Name;
            var columns = model.Columns.Select(c => c.Name).ToList();
            var rows = new List<IReadOnlyDictionary<string, object?>>();
            await foreach (var row in warehouse.QueryAsync(warehouse.Sql($"SELECT {string.Join(", ", columns)} FROM {table}")))
                rows.Add(ReferenceDataset.Row([.. columns.Select((c, i) => (c, row[i]))]));
            data = data.With(model.Name, rows);
        }
        return data;
    }

    private static string GoldenDirectory([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "Golden"));

    private static string ShopDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "shop"));
}

public sealed class DuckDbShopExampleTests : ShopExampleTests
{
    protected override Task<IWarehouse> OpenAsync() => WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb() with { IncludeErrorDetail = true });
}

public sealed class PostgresShopExampleTests(PostgresDatabase db) : ShopExampleTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IWarehouse> OpenAsync()
    {
        var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(db.ConnectionString) with { IncludeErrorDetail = true });
        await warehouse.ExecuteScriptAsync("DROP TABLE IF EXISTS customers, orders, order_items, products, events, newsletter_signups");
        return warehouse;
    }
}
