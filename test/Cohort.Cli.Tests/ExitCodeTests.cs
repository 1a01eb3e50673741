namespace Cohort.Cli.Tests;

/// <summary>Every failure maps to one documented exit code (docs/cli.md) and a message without a stack trace.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("nosuch")]
    [InlineData("demo", "--bogus")]
    [InlineData("demo", "--scale", "lots")]
    [InlineData("demo", "--scale", "10")]
    [InlineData("demo", "--warehouse", "oracle")]
    [InlineData("demo", "--warehouse", "postgres")]
    [InlineData("demo", "--as-of", "yesterday")]
    [InlineData("demo", "--warehouse", "postgres", "--connection-string-env", "X", "--schema", "Bad-Name")]
    [InlineData("demo", "--threads", "0")]
    [InlineData("init")]
    [InlineData("init", "--duckdb", "a.duckdb", "--postgres-env", "X")]
    [InlineData("preview")]
    [InlineData("sql", "high_value", "--dialect", "oracle")]
    [InlineData("preview", "high_value", "--sample", "-1")]
    public async Task A_wrong_command_line_is_a_usage_error(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("cohort: ", result.Error, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task A_missing_project_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var result = await CliRunner.RunAsync("validate", "-p", dir["nothing-here"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No project at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_audience_is_a_usage_error_with_suggestions()
    {
        var result = await CliRunner.RunAsync("sql", "high_valu", "-p", CliRunner.ShopExample);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Did you mean: high_value?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_as_of_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("sql", "high_value", "-p", CliRunner.ShopExample, "--as-of", "2026-11-28T09:00:00");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--as-of", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_project_exits_1_with_its_diagnostics()
    {
        using var dir = InvalidProject();
        var result = await CliRunner.RunAsync("validate", "-p", dir.Path, "--offline");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error COH201", result.Out, StringComparison.Ordinal);
        Assert.Contains("audiences/broken.yaml:4:", result.Out, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("sql")]
    [InlineData("preview")]
    public async Task An_invalid_project_gives_one_json_document_with_the_diagnostics(string verb)
    {
        using var dir = InvalidProject();
        string[] args = verb == "validate" ? [verb, "-p", dir.Path, "--offline", "--json"] : [verb, "broken", "-p", dir.Path, "--json"];
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(1, result.ExitCode);
        var json = result.Json;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains(json.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "COH201");
    }

    [Fact]
    public async Task A_usage_error_with_json_also_writes_a_json_error()
    {
        var result = await CliRunner.RunAsync("sql", "nope", "-p", CliRunner.ShopExample, "--json");
        Assert.Equal(2, result.ExitCode);
        var error = result.Json.GetProperty("error");
        Assert.Equal("usage", error.GetProperty("kind").GetString());
        Assert.Equal(2, result.Json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task An_unreachable_warehouse_exits_3()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(CliRunner.ShopExample, "schema.yaml"), dir["schema.yaml"]);
        var variable = "COHORT_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await File.WriteAllTextAsync(dir["cohort.yaml"], $"""
            name: unreachable
            warehouse: {"{"}type: postgres, connection_string_env: {variable}{"}"}
            schema: schema.yaml
            """);
        var result = await CliRunner.RunAsync("validate", "-p", dir.Path, "--json");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains(variable, result.Error, StringComparison.Ordinal);
        Assert.Equal("warehouse", result.Json.GetProperty("error").GetProperty("kind").GetString());
        AssertNoStackTrace(result);
    }

    private static TempDirectory InvalidProject()
    {
        var dir = new TempDirectory();
        File.Copy(Path.Combine(CliRunner.ShopExample, "schema.yaml"), dir["schema.yaml"]);
        File.WriteAllText(dir["cohort.yaml"], "name: broken\nwarehouse: {type: duckdb, path: \":memory:\"}\nschema: schema.yaml\n");
        Directory.CreateDirectory(dir["audiences"]);
        File.WriteAllText(dir["audiences/broken.yaml"], "name: broken\nmodel: customers\ncondition:\n  property: contry\n  equals: US\n");
        return dir;
    }

    private static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }
}
