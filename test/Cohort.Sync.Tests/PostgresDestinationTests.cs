using Cohort.Destinations.Configuration;
using Cohort.Sync.Records;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Sync.Tests;

/// <summary>The PostgreSQL table destination end to end: a DuckDB warehouse syncing into a table of the throwaway PostgreSQL server.</summary>
public sealed class PostgresDestinationTests(PostgresDatabase target, DuckDbEngine engine) : IClassFixture<PostgresDatabase>, IClassFixture<DuckDbEngine>
{
    private async Task<(Harness Harness, SyncEngine Engine, IWarehouse Target)> Setup(string table, string mode, string extraSettings = "", string? connection = null)
    {
        var h = await Harness.CreateAsync(engine,
            $"audience: active\ndestination: table\nmode: {mode}\nexclude: [unsubscribed]\nfields: {{email: email, score: score, signup_at: signup_at, tags: tags}}\n",
            files: f => f.Destination("table", $"type: postgres\nsettings:\n  connection_string: {{env: TARGET_PG}}\n  table: {table}\n  key_column: person_key\n  batch_size: 8\n{extraSettings}"));
        var syncEngine = new SyncEngine(h.Warehouse, h.Project, h.Catalog, h.Time, new SyncEngineOptions
        {
            State = h.State,
            Secrets = new SecretResolver(n => n == "TARGET_PG" ? connection ?? target.ConnectionString : null),
        });
        return (h, syncEngine, await target.OpenWarehouseAsync());
    }

    private static async Task<SortedSet<string>> Keys(IWarehouse target, string table) =>
        new((await target.ReadAllAsync($"SELECT person_key FROM {table}")).Select(r => (string)r[0]!), StringComparer.Ordinal);

    [Fact]
    public async Task Upserts_and_deletes_keep_a_created_table_equal_to_the_audience()
    {
        var (h, e, t) = await Setup("synced_people", "mirror", "  create_table: true\n");
        await using var _ = h;
        await using var __ = t;
        var run = await e.RunAsync(h.Sync, h.Options());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(await h.ExpectedAsync(), await Keys(t, "synced_people"));
        var row = (await t.ReadAllAsync("SELECT email, score, signup_at, tags FROM synced_people WHERE person_key = '4'"))[0];
        Assert.Equal(("user4@example.com", 6.00m, new DateTime(2024, 1, 5, 10, 30, 0, 250, DateTimeKind.Utc)), ((string)row[0]!, (decimal)row[1]!, (DateTime)row[2]!));
        Assert.Equal(["t0"], (IReadOnlyList<object?>)row[3]!);

        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id IN (1, 2); UPDATE people SET score = 77 WHERE id = 4");
        await e.RunAsync(h.Sync, h.Options());
        Assert.Equal(await h.ExpectedAsync(), await Keys(t, "synced_people"));
        Assert.Equal(77m, await t.ScalarAsync("SELECT score FROM synced_people WHERE person_key = '4'"));
    }

    [Fact]
    public async Task Rows_a_constraint_refuses_are_isolated_and_rejected_alone()
    {
        var (h, e, t) = await Setup("checked_people", "upsert");
        await using var _ = h;
        await using var __ = t;
        await t.ExecuteScriptAsync("CREATE TABLE checked_people (person_key text PRIMARY KEY, email text, score numeric CHECK (score < 30), signup_at timestamptz, tags text[])");
        var run = await e.RunAsync(h.Sync, h.Options());
        var tooHigh = await h.ExpectedAsync("active AND segment <> 'unsub' AND score >= 30");
        Assert.Equal(tooHigh.Count, run.Counts.FailedRejected);
        Assert.Equal(await h.ExpectedAsync("active AND segment <> 'unsub' AND score < 30"), await Keys(t, "checked_people"));
        var rows = (await e.ErrorsAsync("subject", limit: 1000)).Rows;
        Assert.All(rows, r => Assert.Contains("SQLSTATE 23514 (constraint checked_people_score_check)", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_only_rejects_keys_the_table_lacks()
    {
        var (h, e, t) = await Setup("existing_people", "update");
        await using var _ = h;
        await using var __ = t;
        await t.ExecuteScriptAsync("CREATE TABLE existing_people (person_key text PRIMARY KEY, email text, score numeric, signup_at timestamptz, tags text[]); INSERT INTO existing_people (person_key) VALUES ('1'), ('2')");
        var run = await e.RunAsync(h.Sync, h.Options());
        Assert.Equal(2, run.Counts.Succeeded);
        Assert.Equal(run.Counts.Planned - 2, run.Counts.FailedRejected);
        Assert.Equal("user1@example.com", await t.ScalarAsync("SELECT email FROM existing_people WHERE person_key = '1'"));
    }

    [Fact]
    public async Task A_missing_table_stops_the_sync_with_a_clear_error()
    {
        var (h, e, t) = await Setup("no_such_table", "upsert");
        await using var _ = h;
        await using var __ = t;
        var run = await e.RunAsync(h.Sync, h.Options());
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("table no_such_table does not exist", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, run.Counts.Retries);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_stops_the_sync()
    {
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "no_such_database" }.ConnectionString;
        var (h, e, t) = await Setup("synced_people", "upsert", "  create_table: true\n", wrong);
        await using var _ = h;
        await using var __ = t;
        var run = await e.RunAsync(h.Sync, h.Options());
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("3D000", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_retried_then_the_rows_stay_pending()
    {
        var closed = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 2 }.ConnectionString;
        var (h, e, t) = await Setup("synced_people", "upsert", "  create_table: true\n", closed);
        await using var _ = h;
        await using var __ = t;
        var running = e.RunAsync(h.Sync, h.Options());
        await Clock.AdvanceUntilDone(h.Time, running, TimeSpan.FromSeconds(5));
        var run = await running;
        Assert.Equal(RunStatus.CompletedWithErrors, run.Status);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.True(run.Counts.Retries > 0);
        Assert.Contains("unavailable", (await e.ErrorsAsync("subject")).Rows[0].Reason, StringComparison.Ordinal);
    }
}
