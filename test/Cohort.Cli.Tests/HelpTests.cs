namespace Cohort.Cli.Tests;

/// <summary>
/// <c>--help</c> of every verb, pinned by golden files in Golden/help. Run with COHORT_UPDATE_GOLDEN=1 to rewrite
/// them, and review the diff.
/// </summary>
public sealed class HelpTests
{
    public static TheoryData<string> Verbs => ["cohort", "demo", "init", "validate", "preview", "sql", "serve", "apply", "export",
        "identity", "identity run", "identity explain", "identity why", "identity evaluate"];

    private static string[] Args(string verb) => verb == "cohort" ? ["--help"] : [.. verb.Split(' '), "--help"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_matches_the_golden_file(string verb)
    {
        var result = await CliRunner.RunAsync(Args(verb));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        // Tables pad their cells with spaces; trailing spaces are not part of the help (and editors strip them).
        var text = string.Join("\n", result.Out.Split('\n').Select(l => l.TrimEnd()));
        var golden = Path.Combine(CliRunner.TestDirectory(), "Golden", "help", verb.Replace(' ', '-') + ".txt");
        if (Environment.GetEnvironmentVariable("COHORT_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(golden, text);
            return;
        }
        Assert.True(File.Exists(golden), $"No golden file {golden}; run the tests with COHORT_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(await File.ReadAllTextAsync(golden), text);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_shows_examples_and_json_output(string verb)
    {
        var result = await CliRunner.RunAsync(Args(verb));
        Assert.Contains("EXAMPLES:", result.Out, StringComparison.Ordinal);
        if (verb != "cohort") Assert.Contains("--json", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_verb_shows_the_help_and_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync();
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("COMMANDS:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await CliRunner.RunAsync("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CohortCli.Version, result.Out.Trim());
    }
}
