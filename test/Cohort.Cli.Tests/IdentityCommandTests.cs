namespace Cohort.Cli.Tests;

/// <summary><c>cohort identity</c> on a small demo warehouse, driven in process.</summary>
public sealed class IdentityCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cohort-identity-");

    public async Task InitializeAsync()
    {
        var demo = await CliRunner.RunAsync("demo", "--scale", "600", "--dir", _dir.Path, "--as-of", "2026-11-28T09:30:00Z", "--json");
        Assert.True(demo.ExitCode == 0, demo.ToString());
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync([.. args, "-p", _dir.Path]);

    [Fact]
    public async Task Run_then_evaluate_explain_and_why_on_the_demo()
    {
        var run = await Run("identity", "run", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var records = run.Json.GetProperty("records").GetInt64();
        Assert.True(records > 2000, run.Out);
        Assert.True(run.Json.GetProperty("cohorts").GetInt64() < records);
        Assert.True(run.Json.GetProperty("blocked").GetInt64() > 0);

        var evaluate = await Run("identity", "evaluate", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        Assert.Equal(records, evaluate.Json.GetProperty("matched").GetInt64());
        Assert.True(evaluate.Json.GetProperty("pairs").GetProperty("precision").GetDouble() >= 0.99, evaluate.Out);
        Assert.True(evaluate.Json.GetProperty("pairs").GetProperty("recall").GetDouble() >= 0.8, evaluate.Out);
        Assert.True(evaluate.Json.GetProperty("bcubed").GetProperty("f1").GetDouble() >= 0.85, evaluate.Out);
        // Deterministic rules alone, beside it: probabilistic matching only adds links.
        var deterministic = evaluate.Json.GetProperty("deterministic");
        Assert.True(deterministic.GetProperty("pairs").GetProperty("recall").GetDouble() <= evaluate.Json.GetProperty("pairs").GetProperty("recall").GetDouble(), evaluate.Out);
        Assert.True(deterministic.GetProperty("cohorts").GetInt64() >= evaluate.Json.GetProperty("cohorts").GetInt64());

        // customers:1's cohort: explain it, then ask why two of its records are together.
        var why = await Run("identity", "why", "customers:1", "customers:2", "--json");
        Assert.True(why.ExitCode == 0, why.ToString());
        Assert.False(why.Json.GetProperty("together").GetBoolean());
        var cohort = why.Json.GetProperty("cohortA").GetString()!;
        var explain = await Run("identity", "explain", cohort, "--json");
        Assert.True(explain.ExitCode == 0, explain.ToString());
        var members = explain.Json.GetProperty("records").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains("customers:1", members);
        Assert.All(explain.Json.GetProperty("identifiers").EnumerateArray(), i => Assert.DoesNotContain("@", i.GetProperty("value").GetString()!.Replace("•••@", "", StringComparison.Ordinal), StringComparison.Ordinal));
        if (members.Count >= 2)
        {
            Assert.NotEmpty(explain.Json.GetProperty("links").EnumerateArray().Concat(explain.Json.GetProperty("matches").EnumerateArray()));
            var together = await Run("identity", "why", members[0], members[^1], "--json");
            Assert.True(together.Json.GetProperty("together").GetBoolean(), together.Out);
            var path = together.Json.GetProperty("path").EnumerateArray().ToList();
            Assert.NotEmpty(path);
            Assert.Equal(members[0], path[0].GetProperty("from").GetString());
            Assert.Equal(members[^1], path[^1].GetProperty("to").GetString());
            Assert.All(path, step => Assert.Equal("linked", step.GetProperty("status").GetString()));
        }

        var text = await Run("identity", "evaluate");
        Assert.Contains("B-cubed", text.Out, StringComparison.Ordinal);
        Assert.Contains("pairwise, deterministic rules alone", text.Out, StringComparison.Ordinal);
        Assert.Contains("pairwise, with probabilistic matching", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_corrupted_scores_deterministic_rules_alone_and_with_probabilistic_matching()
    {
        var result = await Run("identity", "evaluate", "--corrupted", "--people", "600", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var withMatching = result.Json.GetProperty("pairs");
        var deterministic = result.Json.GetProperty("deterministic").GetProperty("pairs");
        Assert.True(withMatching.GetProperty("recall").GetDouble() >= deterministic.GetProperty("recall").GetDouble() + 0.1, result.Out);
        Assert.True(withMatching.GetProperty("precision").GetDouble() >= 0.95, result.Out);
        Assert.Equal(2, (await Run("identity", "evaluate", "--corrupted", "--people", "3")).ExitCode);
    }

    [Fact]
    public async Task Unknown_ids_are_clear_errors_and_write_nothing()
    {
        Assert.Equal(2, (await Run("identity", "explain", "c_0000")).ExitCode); // not run yet
        Assert.Equal(0, (await Run("identity", "run")).ExitCode);
        var explain = await Run("identity", "explain", "c_does_not_exist");
        Assert.Equal(2, explain.ExitCode);
        Assert.Contains("There is no cohort 'c_does_not_exist'", explain.Error, StringComparison.Ordinal);
        var why = await Run("identity", "why", "customers:1", "customerz:2");
        Assert.Equal(2, why.ExitCode);
        Assert.Contains("Did you mean: customers?", why.Error, StringComparison.Ordinal);
        var missing = await Run("identity", "why", "customers:1", "customers:99999999");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("is not in the identity graph", missing.Error, StringComparison.Ordinal);
        var malformed = await Run("identity", "why", "customers", "customers:2");
        Assert.Equal(2, malformed.ExitCode);
        var truth = await Run("identity", "evaluate", "--truth", "no_such_table");
        Assert.Equal(2, truth.ExitCode);
        var history = await Run("identity", "run", "--incremental", "--json");
        Assert.Equal(2, history.Json.GetProperty("runId").GetInt64());
        // The demo's rules have probabilistic matching, which scores every pair again: an incremental run is a full one.
        Assert.Equal("full", history.Json.GetProperty("mode").GetString());
        Assert.True(history.Json.GetProperty("matching").GetProperty("linkedPairs").GetInt64() > 0);
    }

    [Fact]
    public async Task Invalid_identity_rules_are_diagnostics_and_nothing_runs()
    {
        var path = Path.Combine(_dir.Path, "identity.yaml");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("limit: 1}", "limit: 0}", StringComparison.Ordinal).Replace("type: custom", "type: costum", StringComparison.Ordinal));
        var run = await Run("identity", "run", "--json");
        Assert.Equal(1, run.ExitCode);
        var diagnostics = run.Json.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.Contains(diagnostics, d => d.GetProperty("message").GetString()!.Contains("at least 1", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetProperty("suggestions").EnumerateArray().Any(s => s.GetString() == "custom"));
        // Every identity verb loads the project first, so none of them runs on invalid rules.
        Assert.Equal(1, (await Run("identity", "evaluate")).ExitCode);
    }
}
