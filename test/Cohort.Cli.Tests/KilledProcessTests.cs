using System.Diagnostics;
using Cohort.Testing.Sync;

namespace Cohort.Cli.Tests;

/// <summary>
/// Crash safety with real processes: <c>cohort sync run</c> is started as a child process against a DuckDB file and a
/// slow loopback webhook, killed with SIGKILL at random moments, and run again; the receiver must end up holding
/// exactly the sync's rows, before and after the result changes.
/// </summary>
public sealed class KilledProcessTests : IAsyncLifetime
{
    private const string Secret = "kill-test-secret";
    private readonly string _project = Path.Combine(Path.GetTempPath(), "cohort-kill-tests", Guid.NewGuid().ToString("N"));
    private FakeWebhookServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeWebhookServer.StartAsync(Secret, maxBatchSize: 50);
        _server.ResponseDelay = TimeSpan.FromMilliseconds(40);
        Directory.CreateDirectory(Path.Combine(_project, "syncs"));
        Directory.CreateDirectory(Path.Combine(_project, "destinations"));
        File.WriteAllText(Path.Combine(_project, "cohort.yaml"), "name: killed\nwarehouse: {type: duckdb, path: data.duckdb, init_sql: seed.sql}\n");
        File.WriteAllText(Path.Combine(_project, "schema.yaml"),
            "models:\n  people:\n    kind: parent\n    table: people\n    primary_key: id\n    columns: {id: integer, email: string}\n");
        File.WriteAllText(Path.Combine(_project, "seed.sql"),
            "CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR);\nINSERT INTO people SELECT i, 'user' || i || '@example.com' FROM range(1, 3001) AS g(i);\n");
        File.WriteAllText(Path.Combine(_project, "destinations", "hook.yaml"),
            $"type: webhook\nsettings:\n  url: {_server.Url}\n  secret: {{env: KILL_HOOK_SECRET}}\n  batch_size: 50\n  max_concurrency: 2\n");
        Filter("lte: 2000");
    }

    private void Filter(string test) => File.WriteAllText(Path.Combine(_project, "syncs", "people.yaml"),
        $"model: people\nfilter: {{property: id, {test}}}\ndestination: hook\nmode: mirror\nfields: [email]\n");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_project, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does no harm.
        }
    }

    private Process Start()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "cohort.dll"), "sync", "run", "people", "-p", _project, "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["KILL_HOOK_SECRET"] = Secret;
        return Process.Start(info)!;
    }

    private async Task KillAtRandomAsync(Random random, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var before = _server.Requests;
            using var process = Start();
            // Kill relative to the first request of this run, not to the process start: on a loaded machine the
            // start-up alone can take seconds, and kills before the run begins prove nothing.
            var waited = Stopwatch.StartNew();
            while (_server.Requests == before && !process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(10);
            await Task.Delay(random.Next(0, 1200));
            if (!process.HasExited) process.Kill(entireProcessTree: true); // SIGKILL
            await process.WaitForExitAsync();
        }
    }

    private async Task RunToCompletionAsync()
    {
        using var process = Start();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}{errors}");
        Assert.Contains("\"status\": \"succeeded\"", output, StringComparison.Ordinal);
    }

    private void AssertReceiverHolds(Func<int, bool> member)
    {
        var expected = Enumerable.Range(1, 3000).Where(member).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var held = _server.State.Keys.ToHashSet();
        Assert.True(expected.SetEquals(held), $"receiver holds {held.Count} keys, {held.Except(expected).Count()} extra, {expected.Except(held).Count()} missing");
    }

    [Fact]
    public async Task Runs_killed_with_sigkill_converge_on_the_next_run()
    {
        var random = new Random(5);
        await KillAtRandomAsync(random, 4);
        await RunToCompletionAsync();
        AssertReceiverHolds(i => i <= 2000);
        Assert.Equal(0, _server.ContractViolations);

        Filter("gte: 1001"); // 1..1000 leave, 2001..3000 enter
        await KillAtRandomAsync(random, 4);
        await RunToCompletionAsync();
        AssertReceiverHolds(i => i >= 1001);

        // The kills did land mid-run: the runs they stopped were found and closed as interrupted.
        await using var warehouse = await Warehouses.WarehouseFactory.OpenAsync(Warehouses.WarehouseOptions.DuckDb(Path.Combine(_project, "data.duckdb")));
        var interrupted = await warehouse.ScalarAsync(new Sql.CompiledSql(Sql.SqlDialectName.DuckDb,
            "SELECT count(*) FROM cohort_state.runs WHERE status = 'interrupted'", []));
        Assert.True(Convert.ToInt64(interrupted, System.Globalization.CultureInfo.InvariantCulture) >= 1, $"{interrupted} interrupted runs");
    }
}
