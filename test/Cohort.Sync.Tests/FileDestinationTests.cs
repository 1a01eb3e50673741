using System.Text.Json;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;

namespace Cohort.Sync.Tests;

/// <summary>The file destination end to end: one file per run with the run's changes, CSV, JSON Lines and Parquet, published atomically.</summary>
public sealed class FileDestinationTests(DuckDbEngine engine) : IClassFixture<DuckDbEngine>
{
    private const string Mapping = "fields: {email: email, score: score, spend: spend, signup_at: signup_at, birthday: birthday, tags: tags, active: active}\nidentifiers: {email: email, phone: phone}\n";

    private static Task<Harness> Setup(DuckDbEngine engine, string format) => Harness.CreateAsync(engine,
        $"audience: active\ndestination: out\nmode: mirror\nexclude: [unsubscribed]\n{Mapping}",
        files: f =>
        {
            Directory.CreateDirectory(Path.Combine(f.Directory, "exports"));
            f.Destination("out", $"type: file\nsettings:\n  path: exports\n  format: {format}\n  batch_size: 7\n");
        });

    private static string[] Published(Harness h) => [.. Directory.GetFiles(Path.Combine(h.Files.Directory, "exports")).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Csv_files_hold_each_runs_changes()
    {
        await using var h = await Setup(engine, "csv");
        var first = await h.RunAsync();
        var file = Assert.Single(Published(h));
        Assert.Equal($"subject_{first.RunId}.csv", Path.GetFileName(file));
        var lines = File.ReadAllText(file).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("operation,key,email,score,spend,signup_at,birthday,tags,active,identifier_email,identifier_phone", lines[0]);
        Assert.Equal(first.Counts.Planned, lines.Length - 1);
        var one = lines.Single(l => l.StartsWith("upsert,1,", StringComparison.Ordinal));
        Assert.Equal("upsert,1,user1@example.com,1.5,30.5,2024-01-02T10:30:00.250000Z,1990-01-02,\"[\"\"t1\"\"]\",true,user1@example.com,+44201", one);

        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id = 1; UPDATE people SET score = 2 WHERE id = 2");
        var second = await h.RunAsync();
        var changes = File.ReadAllLines(Path.Combine(h.Files.Directory, "exports", $"subject_{second.RunId}.csv"))[1..];
        Assert.Equal(["delete,1", "upsert,2"], changes.Select(c => string.Join(',', c.Split(',')[..2])).Order(StringComparer.Ordinal));
        Assert.Equal(2, Published(h).Length);
    }

    [Fact]
    public async Task Json_lines_files_hold_one_object_per_record()
    {
        await using var h = await Setup(engine, "jsonl");
        var run = await h.RunAsync();
        var lines = File.ReadAllLines(Assert.Single(Published(h)));
        Assert.Equal(run.Counts.Planned, lines.Length);
        using var first = JsonDocument.Parse(lines.Single(l => l.Contains("\"key\":\"4\"", StringComparison.Ordinal)));
        Assert.Equal("upsert", first.RootElement.GetProperty("operation").GetString());
        Assert.Equal(6.00m, first.RootElement.GetProperty("fields").GetProperty("score").GetDecimal());
        Assert.Equal("t0", first.RootElement.GetProperty("fields").GetProperty("tags")[0].GetString());
        Assert.Equal("user4@example.com", first.RootElement.GetProperty("identifiers").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Parquet_files_have_typed_columns()
    {
        await using var h = await Setup(engine, "parquet");
        var run = await h.RunAsync();
        var file = Assert.Single(Published(h));
        var rows = await h.Warehouse.ReadAllAsync(
            $"SELECT count(*), sum(CASE WHEN key = '4' THEN score END), max(signup_at), bool_and(active), max(identifier_email) FROM read_parquet('{file}')");
        Assert.Equal(run.Counts.Planned, rows[0][0]);
        Assert.Equal(6.0, rows[0][1]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)rows[0][2]!).Kind);
        Assert.Equal(true, rows[0][3]);
        var described = await h.Warehouse.ReadAllAsync($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{file}'))");
        var types = described.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(("DOUBLE", "BOOLEAN", "VARCHAR"), (types["score"], types["active"], types["email"]));
        Assert.StartsWith("TIMESTAMP", types["signup_at"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_stops_before_completing_publishes_nothing_and_the_next_run_sends_it_all()
    {
        await using var h = await Setup(engine, "csv");
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RunAsync(p => p.Step == SyncStep.AfterCommit && p.Page == 1 ? throw new SimulatedCrashException(p) : ValueTask.CompletedTask));
        Assert.Empty(Published(h));
        var run = await h.RunAsync();
        Assert.Equal(run.AudienceSize, run.Counts.Succeeded);
        Assert.Equal(run.Counts.Planned, File.ReadAllLines(Assert.Single(Published(h))).Length - 1);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_stops_the_run_with_a_configuration_error()
    {
        await using var h = await Setup(engine, "csv");
        Directory.Delete(Path.Combine(h.Files.Directory, "exports"));
        File.WriteAllText(Path.Combine(h.Files.Directory, "exports"), "a file where the folder should be");
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("cannot be created or written", run.Error, StringComparison.Ordinal);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
    }
}
