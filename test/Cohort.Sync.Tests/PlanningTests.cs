using Cohort.Sync.Planning;
using Cohort.Sync.Tests.Support;

namespace Cohort.Sync.Tests;

/// <summary>Planning in the warehouse: the diff against the snapshot, pages by key, exclusions, splits and filters. Runs on every engine.</summary>
public abstract class PlanningTests<TEngine>(TEngine engine) : IClassFixture<TEngine> where TEngine : EngineFixture
{
    private const string Upsert = "audience: active\ndestination: memory\nmode: upsert\non_exit: delete\nfields: {email: email, score: score, spend: spend}\nexclude: [unsubscribed]\n";

    [Fact]
    public async Task A_new_sync_plans_every_member_as_added()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        var plan = await h.PlanAsync(sample: 1000);
        var expected = await h.ExpectedAsync();
        Assert.Equal(expected.Count, plan.Counts.Added);
        Assert.Equal(0, plan.Counts.Changed + plan.Counts.Removed);
        Assert.Equal(expected.Count, plan.Counts.ResultSize);
        Assert.Equal(expected, new SortedSet<string>(plan.Sample.Select(s => s.Key), StringComparer.Ordinal));
        Assert.All(plan.Sample, s => Assert.Equal("upsert", s.Operation));
        Assert.Empty(h.Memory.RequestLog);
    }

    [Fact]
    public async Task After_a_run_the_plan_is_empty()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        await h.RunAsync();
        var plan = await h.PlanAsync();
        Assert.Equal(0, plan.Counts.Planned);
        Assert.Equal((await h.ExpectedAsync()).Count, plan.Counts.ResultSize);
    }

    [Fact]
    public async Task Changes_are_planned_as_added_changed_and_removed()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        await h.RunAsync();
        // 3 and 6 become active (added; 3 is not unsubscribed), 1 and 2 leave, 4 changes its score, 5's spend changes, 7 stays excluded.
        await h.ExecuteAsync("""
            UPDATE people SET active = TRUE WHERE id IN (3, 6);
            UPDATE people SET active = FALSE WHERE id IN (1, 2);
            UPDATE people SET score = 999 WHERE id = 4;
            INSERT INTO orders VALUES (100000, 5, 10.00);
            UPDATE people SET score = 1 WHERE id = 9;
            """);
        var plan = await h.PlanAsync(sample: 100);
        var byKey = plan.Sample.ToDictionary(s => s.Key, s => s.Change);
        Assert.Equal(ChangeKind.Added, byKey["3"]);
        Assert.Equal(ChangeKind.Added, byKey["6"]);
        Assert.Equal(ChangeKind.Removed, byKey["1"]);
        Assert.Equal(ChangeKind.Removed, byKey["2"]);
        Assert.Equal(ChangeKind.Changed, byKey["4"]);
        Assert.Equal(ChangeKind.Changed, byKey["5"]);
        Assert.False(byKey.ContainsKey("9"), "9 is inactive: its change is not the sync's business");
        Assert.False(byKey.ContainsKey("7"), "7 is unsubscribed");
        Assert.Equal((2, 2, 2), (plan.Counts.Added, plan.Counts.Changed, plan.Counts.Removed));
        Assert.Equal((await h.ExpectedAsync()).Count, plan.Counts.ResultSize);
        Assert.Equal(new Dictionary<string, long> { ["upsert"] = 4, ["delete"] = 2 }, plan.Operations);
    }

    [Fact]
    public async Task Removed_rows_carry_the_payload_last_sent()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        await h.RunAsync();
        await h.ExecuteAsync("UPDATE people SET active = FALSE, email = 'changed@example.com' WHERE id = 1");
        var plan = await h.PlanAsync();
        var removed = Assert.Single(plan.Sample);
        Assert.Equal(ChangeKind.Removed, removed.Change);
        Assert.Contains("\"email\":\"user1@example.com\"", removed.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_read_by_key_over_more_rows_than_a_page()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, people: 2_500);
        h.PageSize = 300;
        var record = await h.RunAsync();
        var expected = await h.ExpectedAsync();
        Assert.Equal(expected.Count, record.Counts.Succeeded);
        Assert.Equal(expected, h.Held());
        // Every record was sent once: no page overlapped another, none was skipped.
        var sent = h.Memory.Applied.Select(a => a.Key).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.True(record.Counts.Planned > 300 * 3);
    }

    [Fact]
    public async Task Keyset_pages_follow_code_point_order_of_keys()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, people: 120);
        await h.PlanAsync();
        var page = h.Engine.Planner;
        var keys = new List<string>();
        string? after = null;
        while (true)
        {
            var rows = await page.PageAsync(h.Sync.Name, after, 7, CancellationToken.None);
            if (rows.Count == 0) break;
            keys.AddRange(rows.Select(r => r.Key));
            after = rows[^1].Key;
        }
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal((await h.ExpectedAsync()).Count, keys.Count);
    }

    [Fact]
    public async Task Exclusions_suppress_members_and_an_unsubscribe_is_a_removal()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        await h.RunAsync();
        Assert.DoesNotContain("7", h.Held());
        await h.ExecuteAsync("UPDATE people SET segment = 'unsub' WHERE id = 8");
        var plan = await h.PlanAsync();
        var row = Assert.Single(plan.Sample);
        Assert.Equal(("8", ChangeKind.Removed), (row.Key, row.Change));
    }

    [Fact]
    public async Task A_split_group_sends_only_its_members()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: experiment\ndestination: memory\nmode: membership\nsplit_group: treatment\n", people: 400);
        var plan = await h.PlanAsync(sample: 1000);
        var active = await h.ExpectedAsync("active");
        Assert.InRange(plan.Counts.Added, active.Count / 4, active.Count * 3 / 4);
        Assert.All(plan.Sample, s => Assert.Contains(s.Key, active));
    }

    [Fact]
    public async Task A_model_sync_with_a_filter_selects_matching_rows()
    {
        await using var h = await Harness.CreateAsync(engine, "model: people\nfilter: {property: score, gte: 30}\ndestination: memory\nmode: mirror\nfields: [email]\n");
        var plan = await h.PlanAsync(sample: 1000);
        Assert.Equal(await h.ExpectedAsync("score >= 30"), new SortedSet<string>(plan.Sample.Select(s => s.Key), StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_custom_key_column_keys_the_rows()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: upsert\nkey: email\nfields: [name]\n");
        var plan = await h.PlanAsync(sample: 5);
        Assert.All(plan.Sample, s => Assert.EndsWith("@example.com", s.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mapping_change_replans_every_row_as_changed()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        await h.RunAsync();
        h.Files.Sync("subject", Upsert.Replace("score: score", "points: score", StringComparison.Ordinal));
        var project = h.Files.Load();
        var rebound = Definitions.SyncProject.Bind(project, h.Catalog).Find("subject")!;
        var engine2 = new SyncEngine(h.Warehouse, project, h.Catalog, h.Time, new SyncEngineOptions { State = h.State });
        var plan = await engine2.PlanAsync(rebound, h.Options());
        Assert.Equal((await h.ExpectedAsync()).Count, plan.Counts.Changed);
    }
}

public sealed class DuckDbPlanningTests(DuckDbEngine engine) : PlanningTests<DuckDbEngine>(engine);

public sealed class PostgresPlanningTests(PostgresEngine engine) : PlanningTests<PostgresEngine>(engine);
