using System.Text.Json;
using Spectre.Console;

namespace Cohort.Cli.Tests;

/// <summary><c>cohort sync plan/run/history/errors</c> on a copy of the shop example, with its file destination.</summary>
public sealed class SyncCommandTests : IDisposable
{
    private readonly string _project;

    public SyncCommandTests()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Cohort.slnx"))) root = Path.GetDirectoryName(root)!;
        _project = Path.Combine(Path.GetTempPath(), "cohort-cli-tests", Guid.NewGuid().ToString("N"));
        Copy(Path.Combine(root, "examples", "shop"), _project);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_project, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does no harm.
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) != ".cohort")) Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    private async Task<(int Exit, string Out, string Err)> Cohort(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        var exit = await CohortCli.RunAsync([.. args, "-p", _project], console, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Plan_run_history_and_errors_work_on_the_example_project()
    {
        var plan = await Cohort("sync", "plan", "high_value_export", "--json");
        Assert.Equal(0, plan.Exit);
        using (var json = JsonDocument.Parse(plan.Out))
        {
            Assert.Equal(2, json.RootElement.GetProperty("added").GetInt64());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sample")[0].GetProperty("payload").ValueKind);
        }

        var run = await Cohort("sync", "run", "high_value_export", "--json");
        Assert.Equal(0, run.Exit);
        long runId;
        using (var json = JsonDocument.Parse(run.Out))
        {
            Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("succeeded").GetInt64());
            runId = json.RootElement.GetProperty("runId").GetInt64();
        }
        var file = Path.Combine(_project, ".cohort", "exports", $"high_value_export_{runId}.csv");
        Assert.Equal(3, File.ReadAllLines(file).Length);

        var again = await Cohort("sync", "plan", "high_value_export");
        Assert.Contains("0 row(s) to sync", again.Out, StringComparison.Ordinal);

        var history = await Cohort("sync", "history", "high_value_export", "--json");
        using (var json = JsonDocument.Parse(history.Out))
            Assert.Equal(runId, json.RootElement.GetProperty("runs")[0].GetProperty("runId").GetInt64());

        var errors = await Cohort("sync", "errors", "high_value_export", "--run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, errors.Exit);
        Assert.Contains("No row failed", errors.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_cannot_reach_its_destination_exits_with_a_clear_message()
    {
        var run = await Cohort("sync", "run", "engaged_to_crm");
        Assert.Equal(3, run.Exit);
        Assert.Contains("SHOP_WEBHOOK_URL", run.Out, StringComparison.Ordinal);
        var errors = await Cohort("sync", "errors", "engaged_to_crm", "--json");
        using var json = JsonDocument.Parse(errors.Out);
        Assert.Equal("failed", json.RootElement.GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Plan_reports_the_match_rate_of_a_platform_destination_without_its_secrets()
    {
        File.WriteAllText(Path.Combine(_project, "destinations", "meta_ads.yaml"),
            "type: meta-custom-audience\nsettings:\n  audience_id: \"23850000000000001\"\n  access_token: {env: COHORT_TEST_UNSET_META_TOKEN}\n  default_phone_region: GB\n");
        File.WriteAllText(Path.Combine(_project, "syncs", "customers_to_meta.yaml"),
            "model: customers\ndestination: meta_ads\nmode: membership\nidentifiers: {email: email, phone: phone}\n");

        var plan = await Cohort("sync", "plan", "customers_to_meta", "--json");
        Assert.Equal(0, plan.Exit);
        using (var json = JsonDocument.Parse(plan.Out))
        {
            var rate = json.RootElement.GetProperty("matchRate");
            Assert.Equal("meta", rate.GetProperty("profile").GetString());
            Assert.Equal(8, rate.GetProperty("members").GetInt32());
            var email = rate.GetProperty("identifiers")[0];
            Assert.Equal(("email", 7, 7, 0), (email.GetProperty("type").GetString(), email.GetProperty("present").GetInt32(), email.GetProperty("usable").GetInt32(),
                email.GetProperty("invalid").GetInt32()));
            var phone = rate.GetProperty("identifiers")[1];
            Assert.Equal(("phone", 4), (phone.GetProperty("type").GetString(), phone.GetProperty("present").GetInt32()));
            Assert.Equal(4, phone.GetProperty("usable").GetInt32() + phone.GetProperty("invalid").GetInt32());
            Assert.Equal(0.875, email.GetProperty("usableShare").GetDouble());
        }

        var text = await Cohort("sync", "plan", "customers_to_meta");
        Assert.Equal(0, text.Exit);
        Assert.Contains("Match rate over 8 member(s) (meta rules)", text.Out, StringComparison.Ordinal);
        Assert.Contains("87.5", text.Out, StringComparison.Ordinal);

        var skipped = await Cohort("sync", "plan", "customers_to_meta", "--json", "--no-match-rate");
        using (var json = JsonDocument.Parse(skipped.Out))
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("matchRate").ValueKind);

        // A file destination normalises nothing: no report.
        var file = await Cohort("sync", "plan", "high_value_export", "--json");
        using (var json = JsonDocument.Parse(file.Out))
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("matchRate").ValueKind);
    }

    [Fact]
    public async Task An_unknown_sync_is_a_usage_error_with_suggestions()
    {
        var result = await Cohort("sync", "run", "high_value_exprt");
        Assert.Equal(2, result.Exit);
        Assert.Contains("Did you mean: high_value_export?", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_literal_secret_stops_every_sync_verb_before_anything_runs()
    {
        File.WriteAllText(Path.Combine(_project, "destinations", "crm_webhook.yaml"), "type: webhook\nsettings:\n  url: http://127.0.0.1:9/hook\n  secret: hunter2\n");
        var result = await Cohort("sync", "plan", "high_value_export");
        Assert.Equal(1, result.Exit);
        Assert.Contains("destinations/crm_webhook.yaml:4:11", result.Out, StringComparison.Ordinal);
        Assert.Contains("COH503", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("run")]
    [InlineData("history")]
    [InlineData("errors")]
    public async Task Every_sync_verb_has_help_with_examples(string verb)
    {
        var result = await Cohort("sync", verb, "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("EXAMPLES:", result.Out, StringComparison.Ordinal);
        Assert.Contains($"cohort sync {verb} high_value_export", result.Out, StringComparison.Ordinal);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_the_projects_syncs()
    {
        var result = await Cohort("validate", "--offline", "--json");
        Assert.Equal(0, result.Exit);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(3, json.RootElement.GetProperty("syncs").GetArrayLength());
    }
}
