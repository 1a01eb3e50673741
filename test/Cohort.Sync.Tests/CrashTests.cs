using Cohort.Destinations.Abstractions;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;

namespace Cohort.Sync.Tests;

/// <summary>
/// Crash safety (docs/sync.md, "Commit protocol"): a run is stopped at every point between state writes, as a killed
/// process would stop (nothing more is written), and the next run must leave the destination holding exactly the
/// audience: no removal lost, and nothing sent twice except the pages in flight when the process died (the one being
/// sent and the one being committed).
/// </summary>
public abstract class CrashTests<TEngine>(TEngine engine) : IClassFixture<TEngine> where TEngine : EngineFixture
{
    private const string Sync = "audience: active\ndestination: memory\nmode: mirror\nfields: {email: email, score: score}\nexclude: [unsubscribed]\n";

    private const string Churn = """
        UPDATE people SET active = TRUE WHERE id IN (3, 6, 12, 15);
        UPDATE people SET active = FALSE WHERE id IN (1, 2, 4, 5, 8);
        UPDATE people SET score = 999 WHERE id IN (10, 11, 13);
        UPDATE people SET segment = 'unsub' WHERE id IN (16, 17);
        """;

    private const int PageSize = 4;

    private async Task<Harness> Scenario(bool commitOnComplete)
    {
        var h = await Harness.CreateAsync(engine, Sync, people: 30, memory: m => m.Descriptor = m.Descriptor with
        {
            MaxRecordsPerBatch = 2,
            MaxConcurrentRequests = 2,
            CommitOnComplete = commitOnComplete,
        });
        h.PageSize = PageSize;
        return h;
    }

    /// <summary>Every point a crash can happen at in a first run and in a run after churn, recorded from an undisturbed scenario.</summary>
    private async Task<List<(int Run, CrashPoint Point)>> PointsAsync(bool commitOnComplete)
    {
        await using var h = await Scenario(commitOnComplete);
        var points = new List<(int, CrashPoint)>();
        await h.RunAsync(p => { points.Add((1, p)); return ValueTask.CompletedTask; });
        await h.ExecuteAsync(Churn);
        await h.RunAsync(p => { points.Add((2, p)); return ValueTask.CompletedTask; });
        return points;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_run_killed_at_any_point_converges_on_the_next_run(bool commitOnComplete)
    {
        var points = await PointsAsync(commitOnComplete);
        Assert.Contains(points, p => p.Point.Step == SyncStep.AfterSend && p.Point.Page > 1);
        Assert.Contains(points, p => p.Point.Step == SyncStep.FoldInserted);
        Assert.True(points.Count >= 20, $"only {points.Count} crash points");
        foreach (var (run, point) in points)
        {
            await using var h = await Scenario(commitOnComplete);
            var sentBefore = 0;
            if (run == 2)
            {
                await h.RunAsync();
                await h.ExecuteAsync(Churn);
                sentBefore = h.Memory.Applied.Count;
            }
            var crash = await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RunAsync(p => p == point ? throw new SimulatedCrashException(p) : ValueTask.CompletedTask));
            Assert.Equal(point, crash.Point);
            var crashed = h.Memory.Applied.Skip(sentBefore).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            var before = h.Memory.Applied.Count;

            var recovery = await h.RunAsync();
            var resent = h.Memory.Applied.Skip(before).Select(a => a.Key).Where(crashed.Contains).ToList();
            if (run == 1)
            {
                await h.ExecuteAsync(Churn);
                await h.RunAsync();
            }

            var label = $"crash at run {run} {point} ({(commitOnComplete ? "commit on complete" : "commit per page")})";
            Assert.True(await h.ExpectedAsync() is var expected && expected.SetEquals(h.Held()),
                $"{label}: the destination holds [{string.Join(",", h.Held())}], the audience is [{string.Join(",", expected)}]");
            Assert.NotEqual(RunStatus.Running, (await h.Engine.HistoryAsync("subject", 10)).Last(r => r.RunId < recovery.RunId).Status);
            Assert.Equal(RunStatus.Interrupted, (await h.Engine.HistoryAsync("subject", 10)).Single(r => r.RunId == recovery.RunId - 1).Status);
            if (!commitOnComplete)
                Assert.True(resent.Count <= 2 * PageSize, $"{label}: {resent.Count} records sent again, more than the two pages in flight (one sent, one being committed)");
            Assert.Equal(0, (await h.PlanAsync()).Counts.Planned);
        }
    }

    [Fact]
    public async Task Two_crashes_in_a_row_still_converge()
    {
        var points = (await PointsAsync(commitOnComplete: false)).Where(p => p.Run == 2).Select(p => p.Point).ToList();
        var random = new Random(20261128);
        for (var i = 0; i < 6; i++)
        {
            var first = points[random.Next(points.Count)];
            var second = points[random.Next(points.Count)];
            await using var h = await Scenario(commitOnComplete: false);
            await h.RunAsync();
            await h.ExecuteAsync(Churn);
            await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RunAsync(p => p == first ? throw new SimulatedCrashException(p) : ValueTask.CompletedTask));
            try
            {
                await h.RunAsync(p => p == second ? throw new SimulatedCrashException(p) : ValueTask.CompletedTask);
            }
            catch (SimulatedCrashException)
            {
                // The recovery run may never reach the second point (it has less to do); then it simply finished.
            }
            await h.RunAsync();
            Assert.True((await h.ExpectedAsync()).SetEquals(h.Held()), $"crashes at {first} then {second}");
        }
    }

    [Fact]
    public async Task A_removal_whose_commit_was_lost_is_sent_again_not_forgotten()
    {
        await using var h = await Scenario(commitOnComplete: false);
        await h.RunAsync();
        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id = 1");
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RunAsync(p => p.Step == SyncStep.AfterSend ? throw new SimulatedCrashException(p) : ValueTask.CompletedTask));
        Assert.DoesNotContain("1", h.Held()); // the destination applied the removal, the engine never recorded it
        await h.ExecuteAsync("UPDATE people SET active = TRUE WHERE id = 2"); // more churn before the next run
        var run = await h.RunAsync();
        Assert.Contains(h.Memory.Applied.Skip(h.Memory.Applied.Count - (int)run.Counts.Sent), a => a == (BatchOperation.Delete, "1"));
        Assert.True((await h.ExpectedAsync()).SetEquals(h.Held()));
    }
}

public sealed class DuckDbCrashTests(DuckDbEngine engine) : CrashTests<DuckDbEngine>(engine);

public sealed class PostgresCrashTests(PostgresEngine engine) : CrashTests<PostgresEngine>(engine);
