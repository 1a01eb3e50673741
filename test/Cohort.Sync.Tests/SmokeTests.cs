using Cohort.Core.Time;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;
using Cohort.Testing.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Sync.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Runs_end_to_end_on_duckdb()
    {
        using var files = new SyncTestProject();
        files.Sync("vip", "audience: active\ndestination: memory\nmode: upsert\non_exit: delete\nfields: {email: email, score: score, spend: spend, signup_at: signup_at, birthday: birthday, tags: tags}\nidentifiers: {email: email, phone: phone}\nexclude: [unsubscribed]\n");
        var memory = new MemoryDestinationStore();
        var (project, sync) = files.Bind("vip", SyncTestProject.Catalog(memory));
        await using var db = await DuckDbTestDatabase.CreateAsync();
        await db.Warehouse.ExecuteScriptAsync(SyncTestProject.SeedSql(50));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new SyncEngine(db.Warehouse, project, SyncTestProject.Catalog(memory), time);
        var record = await engine.RunAsync(sync, new SyncRunOptions { Evaluation = EvaluationContext.Utc(time.GetUtcNow().UtcDateTime) });
        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.True(record.Counts.IsBalanced, record.Counts.ToString());
        Assert.Equal(memory.Records.Count, record.Counts.Succeeded);
        var again = await engine.RunAsync(sync, new SyncRunOptions { Evaluation = EvaluationContext.Utc(time.GetUtcNow().UtcDateTime) });
        Assert.Equal(0, again.Counts.Planned);
    }
}
