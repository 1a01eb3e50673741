using Cohort.Testing.Postgres;

namespace Cohort.Cli.Tests;

/// <summary><c>cohort demo</c> end to end at a small scale, on DuckDB and PostgreSQL.</summary>
public sealed class DemoCommandTests(PostgresDatabase pg) : IClassFixture<PostgresDatabase>
{
    private const string AsOf = "2026-11-28T09:30:00Z";

    [Fact]
    public async Task Demo_builds_the_warehouse_and_project_and_evaluates_every_audience()
    {
        using var dir = new TempDirectory();
        var result = await CliRunner.RunAsync("demo", "--scale", "2000", "--dir", dir.Path, "--as-of", AsOf, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(2000, json.GetProperty("customers").GetInt32());
        Assert.Equal(AsOf, json.GetProperty("asOf").GetString());
        var audiences = json.GetProperty("audiences").EnumerateArray().ToList();
        Assert.True(audiences.Count >= 12);
        Assert.All(audiences, a => Assert.True(a.GetProperty("blocks").GetArrayLength() >= 1));
        Assert.Contains(audiences, a => a.GetProperty("count").GetInt64() > 0);
        Assert.True(File.Exists(dir["demo.duckdb"]));
        Assert.False(File.Exists(dir["demo.duckdb.building"]));
        Assert.True(File.Exists(dir["cohort.yaml"]) && File.Exists(dir["schema.yaml"]) && File.Exists(dir[".cohort-demo"]));

        var validate = await CliRunner.RunAsync("validate", "-p", dir.Path);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task Running_demo_again_rebuilds_the_same_data()
    {
        using var dir = new TempDirectory();
        var first = await CliRunner.RunAsync("demo", "--scale", "500", "--dir", dir.Path, "--as-of", AsOf, "--json");
        await File.WriteAllTextAsync(dir["audiences/mine.yaml"], "name: mine\nmodel: customers\ncondition: {property: country, equals: GB}\n");
        var second = await CliRunner.RunAsync("demo", "--scale", "500", "--dir", dir.Path, "--as-of", AsOf, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        // Same seed and --as-of: the same data, so the same counts; the user's own audience is evaluated too, and kept.
        Assert.Equal(Counts(first), Counts(second, except: "mine"));
        Assert.Contains("mine: ", Counts(second), StringComparison.Ordinal);
        Assert.True(File.Exists(dir["audiences/mine.yaml"]), "A file the user added must survive a re-run.");
        Assert.False(File.Exists(dir["demo.duckdb.building"]));
    }

    [Fact]
    public async Task Demo_prints_a_table_of_audiences()
    {
        using var dir = new TempDirectory();
        var result = await CliRunner.RunAsync("demo", "--scale", "300", "--dir", dir.Path, "--as-of", AsOf);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Audiences as of " + AsOf, result.Out, StringComparison.Ordinal);
        Assert.Contains("count after each block", result.Out, StringComparison.Ordinal);
        Assert.Contains("high_value_customers", result.Out, StringComparison.Ordinal);
        Assert.Contains("cohort preview lapsed_vips", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_refuses_a_folder_it_did_not_make()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["notes.txt"], "mine");
        var refused = await CliRunner.RunAsync("demo", "--scale", "100", "--dir", dir.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["demo.duckdb"]));
    }

    [Fact]
    public async Task Demo_on_PostgreSQL_gives_the_same_counts_as_on_DuckDB()
    {
        var variable = "COHORT_TEST_DEMO_PG_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, pg.ConnectionString);
        try
        {
            using var duckDir = new TempDirectory();
            using var pgDir = new TempDirectory();
            var duck = await CliRunner.RunAsync("demo", "--scale", "2000", "--dir", duckDir.Path, "--as-of", AsOf, "--json");
            var postgres = await CliRunner.RunAsync("demo", "--scale", "2000", "--dir", pgDir.Path, "--as-of", AsOf, "--json",
                "--warehouse", "postgres", "--connection-string-env", variable, "--schema", "demo_cli");
            Assert.True(duck.ExitCode == 0, duck.ToString());
            Assert.True(postgres.ExitCode == 0, postgres.ToString());
            Assert.Equal(Counts(duck), Counts(postgres));
            Assert.Equal("postgres", postgres.Json.GetProperty("warehouse").GetProperty("type").GetString());

            // The project it wrote works with the other verbs, and re-running swaps the schema in place.
            var validate = await CliRunner.RunAsync("validate", "-p", pgDir.Path);
            Assert.True(validate.ExitCode == 0, validate.ToString());
            var again = await CliRunner.RunAsync("demo", "--scale", "300", "--dir", pgDir.Path, "--as-of", AsOf, "--json",
                "--warehouse", "postgres", "--connection-string-env", variable, "--schema", "demo_cli");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal(300, again.Json.GetProperty("customers").GetInt32());

            // A schema holding anything but a demo is never replaced.
            await using (var warehouse = await pg.OpenWarehouseAsync())
                await warehouse.ExecuteScriptAsync("CREATE SCHEMA occupied; CREATE TABLE occupied.precious (x integer)");
            using var otherDir = new TempDirectory();
            var refused = await CliRunner.RunAsync("demo", "--scale", "100", "--dir", otherDir.Path,
                "--warehouse", "postgres", "--connection-string-env", variable, "--schema", "occupied");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("not a Cohort demo", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static string Counts(CliResult demo, string? except = null) => string.Join("\n", demo.Json.GetProperty("audiences").EnumerateArray()
        .Where(a => a.GetProperty("name").GetString() != except).Select(a =>
        $"{a.GetProperty("name").GetString()}: {a.GetProperty("count").GetInt64()} [{string.Join(", ", a.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()))}]"));
}
