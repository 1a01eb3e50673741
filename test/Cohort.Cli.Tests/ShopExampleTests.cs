using System.Text.Json;

namespace Cohort.Cli.Tests;

/// <summary>
/// The existing verbs on examples/shop (DuckDB in memory, seeded by seed.sql relative to now). The expected members
/// follow from seed.sql: customer 4 added to cart 5 hours ago and never ordered; 2, 3 and 5 ordered within 30 days;
/// 1 (545) and 3 (600, the refund excluded) have completed orders worth 500 or more; of those only 1 has not ordered
/// in the last 90 days.
/// </summary>
public sealed class ShopExampleTests
{
    public static TheoryData<string, long[]> Expected => new()
    {
        { "cart_abandoners", [4] },
        { "recent_purchasers", [2, 3, 5] },
        { "high_value", [1, 3] },
        { "lapsed_vips", [1] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Preview_finds_the_members_seed_sql_implies(string audience, long[] members)
    {
        var result = await CliRunner.RunAsync("preview", audience, "-p", CliRunner.ShopExample, "--json", "--sample", "20");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.Equal(members.Length, json.GetProperty("count").GetInt64());
        var keys = json.GetProperty("sample").GetProperty("rows").EnumerateArray().Select(r => r[0].GetInt64()).Order();
        Assert.Equal(members, keys);
    }

    [Fact]
    public async Task Preview_shows_counts_per_block_and_a_masked_sample()
    {
        var result = await CliRunner.RunAsync("preview", "lapsed_vips", "-p", CliRunner.ShopExample);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("lapsed_vips: 1 member", result.Out, StringComparison.Ordinal);
        Assert.Contains("Count after each block", result.Out, StringComparison.Ordinal);
        Assert.Contains("PII masked", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_checks_files_and_warehouse()
    {
        var result = await CliRunner.RunAsync("validate", "-p", CliRunner.ShopExample, "--json");
        Assert.Equal(0, result.ExitCode);
        var json = result.Json;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.True(json.GetProperty("checkedWarehouse").GetBoolean());
        Assert.Equal(8, json.GetProperty("audiences").GetArrayLength());
    }

    [Fact]
    public async Task Sql_prints_the_compiled_statement_and_its_parameters()
    {
        var text = await CliRunner.RunAsync("sql", "recent_purchasers", "-p", CliRunner.ShopExample, "--as-of", "2026-11-28T09:00:00Z");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("SELECT", text.Out, StringComparison.Ordinal);
        Assert.Contains("-- Parameters (as of 2026-11-28T09:00:00Z", text.Out, StringComparison.Ordinal);

        var json = await CliRunner.RunAsync("sql", "recent_purchasers", "-p", CliRunner.ShopExample, "--dialect", "postgres", "--query", "count", "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("postgres", json.Json.GetProperty("dialect").GetString());
        Assert.Contains("count(", json.Json.GetProperty("sql").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(JsonValueKind.Undefined, json.Json.GetProperty("parameters").ValueKind);
    }
}
