using Cohort.Testing.Postgres;

namespace Cohort.Cli.Tests;

/// <summary>The shop example on PostgreSQL: the same seed.sql, schema and audiences give the same counts as on DuckDB.</summary>
public sealed class ShopPostgresTests(PostgresDatabase pg) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempDirectory _project = new();

    [Fact]
    public async Task Preview_counts_on_PostgreSQL_equal_DuckDB()
    {
        await using (var warehouse = await pg.OpenWarehouseAsync())
            await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(Path.Combine(CliRunner.ShopExample, "seed.sql")));
        var variable = ShopOnPostgres(_project, pg.ConnectionString);

        var validate = await CliRunner.RunAsync("validate", "-p", _project.Path);
        Assert.True(validate.ExitCode == 0, validate.ToString());

        var audiences = Directory.GetFiles(Path.Combine(CliRunner.ShopExample, "audiences")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, audiences.Count);
        foreach (var audience in audiences)
        {
            var duck = await CliRunner.RunAsync("preview", audience!, "-p", CliRunner.ShopExample, "--json", "--sample", "0");
            var postgres = await CliRunner.RunAsync("preview", audience!, "-p", _project.Path, "--json", "--sample", "0");
            Assert.True(duck.ExitCode == 0, duck.ToString());
            Assert.True(postgres.ExitCode == 0, postgres.ToString());
            Assert.Equal(Counts(duck), Counts(postgres));
        }
        Environment.SetEnvironmentVariable(variable, null);
    }

    /// <summary>A copy of the shop project whose warehouse is PostgreSQL, the connection string in a fresh variable.</summary>
    internal static string ShopOnPostgres(TempDirectory project, string connectionString)
    {
        var variable = "COHORT_TEST_PG_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connectionString);
        File.Copy(Path.Combine(CliRunner.ShopExample, "schema.yaml"), project["schema.yaml"]);
        Directory.CreateDirectory(project["audiences"]);
        foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.ShopExample, "audiences")))
            File.Copy(file, Path.Combine(project["audiences"], Path.GetFileName(file)));
        File.WriteAllText(project["cohort.yaml"], $"""
            name: shop-on-postgres
            warehouse:
              type: postgres
              connection_string_env: {variable}
            schema: schema.yaml
            audiences: audiences
            time_zone: Europe/London
            """);
        return variable;
    }

    private static string Counts(CliResult preview)
    {
        var json = preview.Json;
        return $"{json.GetProperty("audience").GetString()}: {json.GetProperty("count").GetInt64()} " +
               $"[{string.Join(", ", json.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()))}]";
    }

    public void Dispose() => _project.Dispose();
}
