using Cohort.Sync.Definitions;
using Cohort.Sync.Records;
using Cohort.Sync.Tests.Support;
using Cohort.Testing.Sync;

namespace Cohort.Sync.Tests;

/// <summary>One slow or failing destination never stalls another: runs of different syncs are independent.</summary>
public sealed class IndependenceTests(DuckDbEngine engine) : IClassFixture<DuckDbEngine>
{
    [Fact]
    public async Task A_stuck_destination_does_not_hold_up_a_sync_to_another()
    {
        var stuck = new MemoryDestinationStore();
        var healthy = new MemoryDestinationStore();
        var release = new TaskCompletionSource();
        stuck.BeforeRequest = (_, _) => release.Task;
        var catalog = SyncTestProject.Catalog(stuck, healthy);
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: upsert\n", catalog: catalog,
            files: f =>
            {
                f.Destination("other", "type: memory2\n");
                f.Sync("second", "audience: active\ndestination: other\nmode: upsert\n");
            });
        var second = SyncProject.Bind(h.Project, catalog).Find("second")!;

        var slow = h.Engine.RunAsync(h.Sync, h.Options());
        var fast = await h.Engine.RunAsync(second, h.Options()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RunStatus.Succeeded, fast.Status);
        Assert.Equal(await h.ExpectedAsync("active"), new SortedSet<string>(healthy.Records.Keys, StringComparer.Ordinal));
        Assert.False(slow.IsCompleted);

        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.RunAsync(h.Sync, h.Options()));
        Assert.Contains("already running", again.Message, StringComparison.Ordinal);

        release.SetResult();
        Assert.Equal(RunStatus.Succeeded, (await slow).Status);
    }
}
