using Cohort.Demo;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Cli.Tests;

/// <summary><c>cohort init</c> on the demo warehouse and the shop example, then <c>cohort validate</c> on what it wrote.</summary>
public sealed class InitCommandTests(PostgresDatabase pg) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    private string DemoFile => _dir["demo.duckdb"];

    public async Task InitializeAsync() =>
        await DemoWarehouse.BuildDuckDbAsync(DemoFile, new DemoOptions { Customers = 500, AnchorUtc = new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc) });

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Init_on_the_demo_warehouse_proposes_a_project_that_validates()
    {
        var project = _dir["from-demo"];
        var init = await CliRunner.RunAsync("init", "--duckdb", DemoFile, "--dir", project, "--json");
        Assert.True(init.ExitCode == 0, init.ToString());
        var json = init.Json;
        Assert.Equal("customers", json.GetProperty("parent").GetString());
        var models = json.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m);
        Assert.Equal("event", models["events"].GetProperty("kind").GetString());
        Assert.Equal("event", models["events"].GetProperty("eventName").GetString());
        Assert.Equal("order_id", models["orders"].GetProperty("primaryKey").GetString());
        Assert.Contains(json.GetProperty("relationships").EnumerateArray(), r =>
            r.GetProperty("from").GetString() == "orders" && r.GetProperty("to").GetString() == "products" && r.GetProperty("through").GetString() == "order_items");

        var schema = await File.ReadAllTextAsync(Path.Combine(project, "schema.yaml"));
        Assert.Contains("email: {type: string, pii: true}", schema, StringComparison.Ordinal);
        Assert.Contains("plan: {type: string, enum: [free, plus, premium]}", schema, StringComparison.Ordinal);
        Assert.Contains("email_consent: boolean", schema, StringComparison.Ordinal);
        Assert.Contains("# parent: customer_id is unique", schema, StringComparison.Ordinal);

        var validate = await CliRunner.RunAsync("validate", "-p", project);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        var preview = await CliRunner.RunAsync("preview", "recently_active", "-p", project, "--as-of", "2026-11-28T09:30:00Z", "--json");
        Assert.True(preview.ExitCode == 0, preview.ToString());
    }

    [Fact]
    public async Task Init_never_overwrites_without_force()
    {
        var project = _dir["twice"];
        Assert.Equal(0, (await CliRunner.RunAsync("init", "--duckdb", DemoFile, "--dir", project)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(project, "schema.yaml"), "# edited by hand\n");
        var again = await CliRunner.RunAsync("init", "--duckdb", DemoFile, "--dir", project);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal("# edited by hand\n", await File.ReadAllTextAsync(Path.Combine(project, "schema.yaml")));
        var forced = await CliRunner.RunAsync("init", "--duckdb", DemoFile, "--dir", project, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("kind: parent", await File.ReadAllTextAsync(Path.Combine(project, "schema.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_on_the_shop_example_finds_its_models()
    {
        var file = _dir["shop.duckdb"];
        await using (var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(file)))
            await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(Path.Combine(CliRunner.ShopExample, "seed.sql")));
        var project = _dir["shop"];
        var init = await CliRunner.RunAsync("init", "--duckdb", file, "--dir", project, "--json");
        Assert.True(init.ExitCode == 0, init.ToString());
        var kinds = init.Json.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("kind").GetString());
        Assert.Equal("parent", kinds["customers"]);
        Assert.Equal("event", kinds["events"]);
        Assert.Equal("event", kinds["newsletter_signups"]);
        Assert.Equal("related", kinds["orders"]);
        var validate = await CliRunner.RunAsync("validate", "-p", project);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task Init_on_PostgreSQL_proposes_a_project_that_validates()
    {
        await using (var warehouse = await pg.OpenWarehouseAsync())
            await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(Path.Combine(CliRunner.ShopExample, "seed.sql")));
        var variable = "COHORT_TEST_INIT_PG_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, pg.ConnectionString);
        try
        {
            var project = _dir["shop-pg"];
            var init = await CliRunner.RunAsync("init", "--postgres-env", variable, "--dir", project);
            Assert.True(init.ExitCode == 0, init.ToString());
            Assert.Contains($"connection_string_env: {variable}", await File.ReadAllTextAsync(Path.Combine(project, "cohort.yaml")), StringComparison.Ordinal);
            var validate = await CliRunner.RunAsync("validate", "-p", project);
            Assert.True(validate.ExitCode == 0, validate.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Init_needs_an_existing_database_file()
    {
        var result = await CliRunner.RunAsync("init", "--duckdb", _dir["missing.duckdb"], "--dir", _dir["nowhere"]);
        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(_dir["missing.duckdb"]), "init must not create an empty database.");
    }
}
