using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;
using Cohort.Testing.Sync;

namespace Cohort.Sync.Tests;

/// <summary>The run loop against an in-memory destination: modes, accounting, failures, retries, splitting, history. Runs on every engine.</summary>
public abstract class RunTests<TEngine>(TEngine engine) : IClassFixture<TEngine> where TEngine : EngineFixture
{
    private const string Upsert = "audience: active\ndestination: memory\nmode: upsert\non_exit: delete\nfields: {email: email, score: score, spend: spend}\nidentifiers: {email: email}\nexclude: [unsubscribed]\n";

    private const string Churn = """
        UPDATE people SET active = TRUE WHERE id IN (3, 6, 12);
        UPDATE people SET active = FALSE WHERE id IN (1, 2, 4);
        UPDATE people SET score = 999 WHERE id IN (5, 8);
        UPDATE people SET segment = 'unsub' WHERE id = 10;
        """;

    [Fact]
    public async Task The_destination_holds_exactly_the_audience_after_each_run()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        var first = await h.RunAsync();
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(await h.ExpectedAsync(), h.Held());
        Assert.Equal(first.Counts.Planned, first.Counts.Added);

        await h.ExecuteAsync(Churn);
        var second = await h.RunAsync();
        Assert.Equal(await h.ExpectedAsync(), h.Held());
        Assert.Equal((3, 2, 4), (second.Counts.Added, second.Counts.Changed, second.Counts.Removed));
        Assert.Equal(999L, h.Memory.Records["5"]["score"]);
        Assert.True(second.Counts.IsBalanced);
        Assert.Equal(second.Counts.Planned, second.Counts.Succeeded);
        Assert.Equal(h.Held().Count, second.AudienceSize);
    }

    [Fact]
    public async Task Membership_mode_adds_entering_and_removes_exiting_members_with_their_identifiers()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: membership\nidentifiers: {email: email, phone: phone}\n");
        await h.RunAsync();
        Assert.Equal(await h.ExpectedAsync("active"), h.Held());
        Assert.Equal("user1@example.com", h.Memory.Identifiers["1"][IdentifierType.Email]);
        Assert.False(h.Memory.Identifiers["10"].ContainsKey(IdentifierType.Phone), "a NULL phone is not sent");
        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id = 1");
        await h.RunAsync();
        var removal = Assert.Single(h.Memory.RequestLog[^1].Records);
        Assert.Equal((BatchOperation.Remove, "1"), (h.Memory.RequestLog[^1].Operation, removal.Key));
        Assert.Equal("user1@example.com", removal.Identifiers[IdentifierType.Email]);
    }

    [Fact]
    public async Task Upsert_with_keep_leaves_exited_records_and_skips_them()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert.Replace("on_exit: delete", "on_exit: keep", StringComparison.Ordinal));
        await h.RunAsync();
        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id IN (1, 2)");
        var run = await h.RunAsync();
        Assert.Equal((2, 2, 0L), (run.Counts.Removed, run.Counts.Skipped, run.Counts.Sent));
        Assert.Contains("1", h.Held());
        Assert.Equal(0, (await h.PlanAsync()).Counts.Planned);
    }

    [Fact]
    public async Task Archive_on_exit_archives_the_record()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert.Replace("on_exit: delete", "on_exit: archive", StringComparison.Ordinal));
        await h.RunAsync();
        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id = 1");
        await h.RunAsync();
        Assert.Contains("1", h.Memory.Archived);
        Assert.DoesNotContain("1", h.Held());
    }

    [Fact]
    public async Task Update_only_rejects_records_the_destination_does_not_hold()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: update\nfields: [email]\n", people: 12);
        h.Memory.Seed("1");
        h.Memory.Seed("2");
        var run = await h.RunAsync();
        Assert.Equal(2, run.Counts.Succeeded);
        Assert.Equal(run.Counts.Planned - 2, run.Counts.FailedRejected);
        Assert.Equal(RunStatus.CompletedWithErrors, run.Status);
        var (_, rows) = await h.Engine.ErrorsAsync("subject");
        Assert.All(rows, r => Assert.Equal((RowOutcome.Rejected, "no such record", "update"), (r.Outcome, r.Reason, r.Operation)));
        Assert.Equal("user1@example.com", h.Memory.Records["1"]["email"]);
    }

    [Fact]
    public async Task Insert_only_creates_records_and_skips_changes()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: insert\nfields: [score]\n");
        await h.RunAsync();
        await h.ExecuteAsync("UPDATE people SET score = 999 WHERE id = 1");
        var run = await h.RunAsync();
        Assert.Equal((1, 1, 0L), (run.Counts.Changed, run.Counts.Skipped, run.Counts.Sent));
        Assert.Equal(1.5m, h.Memory.Records["1"]["score"]);
        Assert.Equal(0, (await h.PlanAsync()).Counts.Planned);
    }

    [Fact]
    public async Task Mirror_creates_updates_and_deletes()
    {
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: mirror\nfields: [score]\n");
        await h.RunAsync();
        await h.ExecuteAsync(Churn);
        await h.RunAsync();
        Assert.Equal(await h.ExpectedAsync("active"), h.Held());
        Assert.Contains(h.Memory.Applied, a => a == (BatchOperation.Delete, "1"));
        Assert.Contains(h.Memory.Applied, a => a == (BatchOperation.Upsert, "5"));
    }

    [Fact]
    public async Task Rejected_records_are_reported_with_their_reason_and_sent_again_next_run()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.PerRecord = r => r.Key == "4" ? new RecordResult("4", RecordOutcome.Rejected, "bad email domain") : null);
        var first = await h.RunAsync();
        Assert.Equal(1, first.Counts.FailedRejected);
        var failure = Assert.Single((await h.Engine.ErrorsAsync("subject")).Rows);
        Assert.Equal(("4", "added", RowOutcome.Rejected, "bad email domain"), (failure.Key, failure.Change, failure.Outcome, failure.Reason));
        Assert.DoesNotContain("4", h.Held());

        h.Memory.PerRecord = null;
        var second = await h.RunAsync();
        Assert.Equal((1, 1), (second.Counts.Planned, second.Counts.Succeeded));
        Assert.Equal(await h.ExpectedAsync(), h.Held());
    }

    [Fact]
    public async Task A_batch_rejected_whole_is_split_until_the_bad_record_is_alone()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, people: 60, memory: m =>
        {
            m.Descriptor = m.Descriptor with { MaxRecordsPerBatch = 16 };
            m.PoisonsBatch = r => r.Key == "11";
        });
        var run = await h.RunAsync();
        Assert.Equal(1, run.Counts.FailedRejected);
        Assert.Equal(run.Counts.Planned - 1, run.Counts.Succeeded);
        Assert.Contains("unacceptable", Assert.Single((await h.Engine.ErrorsAsync("subject")).Rows).Reason, StringComparison.Ordinal);
        // One batch of 16 holds the bad record: 1 + 2 + 2 + 2 + 2 requests isolate it; the others go once.
        var batches = (int)Math.Ceiling(run.Counts.Planned / 16.0);
        Assert.InRange(run.Counts.Requests, batches + 8, batches + 8);
        Assert.Equal(0, run.Counts.Retries);
    }

    [Fact]
    public async Task Transient_failures_are_retried_within_the_run()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.BeforeRequest = (_, n) =>
            n <= 2 ? throw new DestinationException("503", DestinationErrorClass.Transient, 503) : Task.CompletedTask);
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Counts.Retries);
        Assert.Equal(await h.ExpectedAsync(), h.Held());
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_and_the_rows_stay_pending_for_the_next_run()
    {
        var failing = true;
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.BeforeRequest = (_, _) =>
            failing ? throw new DestinationException("502", DestinationErrorClass.Transient, 502) : Task.CompletedTask);
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.CompletedWithErrors, run.Status);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.Equal(new RetryOptions().MaxAttempts, run.Counts.Requests); // one batch, five attempts, then no more
        Assert.True(run.Counts.IsBalanced);
        Assert.Contains("Not confirmed after 5 attempt(s)", (await h.Engine.ErrorsAsync("subject")).Rows[0].Reason, StringComparison.Ordinal);

        failing = false;
        var next = await h.RunAsync();
        Assert.Equal(run.Counts.Planned, next.Counts.Succeeded);
        Assert.Equal(await h.ExpectedAsync(), h.Held());
    }

    [Fact]
    public async Task A_retry_after_beyond_the_time_budget_is_not_waited_for()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.BeforeRequest = (_, _) =>
            throw new DestinationException("429", DestinationErrorClass.Transient, 429, retryAfter: TimeSpan.FromHours(2)));
        var before = h.Time.GetUtcNow();
        var run = await h.RunAsync();
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.Equal(0, run.Counts.Retries);
        Assert.True(h.Time.GetUtcNow() - before < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_429_pauses_the_destination_for_its_retry_after()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.BeforeRequest = (_, n) =>
            n == 1 ? throw new DestinationException("429", DestinationErrorClass.Transient, 429, retryAfter: TimeSpan.FromSeconds(30)) : Task.CompletedTask);
        var before = h.Time.GetUtcNow();
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.Counts.Retries);
        Assert.True(h.Time.GetUtcNow() - before >= TimeSpan.FromSeconds(30), $"waited {h.Time.GetUtcNow() - before}");
    }

    [Fact]
    public async Task Expired_credentials_stop_the_sync_with_a_clear_error_and_no_retry()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.BeforeRequest = (_, _) =>
            throw new DestinationException("Destination 'memory' refused the credentials (HTTP 401).", DestinationErrorClass.AuthOrConfig, 401));
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("refused the credentials", run.Error, StringComparison.Ordinal);
        Assert.StartsWith("Sync 'subject' stopped", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, run.Counts.Requests);
        Assert.Equal(0, run.Counts.Retries);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.True(run.Counts.IsBalanced);
        var stored = Assert.Single(await h.Engine.HistoryAsync("subject"));
        Assert.Equal(run, stored with { StartedAt = run.StartedAt, FinishedAt = run.FinishedAt, AsOf = run.AsOf });
    }

    [Fact]
    public async Task Records_the_destination_asks_to_retry_are_sent_again_in_the_same_run()
    {
        var asked = 0;
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m => m.PerRecord = r =>
            r.Key == "5" && Interlocked.Increment(ref asked) == 1 ? new RecordResult("5", RecordOutcome.Pending, "busy") : null);
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("5", h.Held());
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task Destinations_that_commit_on_completion_keep_nothing_when_completion_fails()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert, memory: m =>
        {
            m.Descriptor = m.Descriptor with { CommitOnComplete = true };
            m.FailComplete = new DestinationException("disk full", DestinationErrorClass.Transient);
        });
        var run = await h.RunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(0, run.Counts.Succeeded);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.Empty(h.Held());

        h.Memory.FailComplete = null;
        var next = await h.RunAsync();
        Assert.Equal(run.Counts.Planned, next.Counts.Succeeded);
        Assert.Equal(await h.ExpectedAsync(), h.Held());
    }

    [Fact]
    public async Task Records_without_an_identifier_are_invalid_and_never_sent()
    {
        var store = new MemoryDestinationStore();
        var catalog = SyncTestProject.Catalog(new MemoryDestinationStore()).Register(store.Type("matcher", [IdentifierType.Email, IdentifierType.Phone]));
        await using var h = await Harness.CreateAsync(engine, "audience: active\ndestination: ads\nmode: membership\nidentifiers: {email: email}\n",
            files: f => f.Destination("ads", "type: matcher\n"), catalog: catalog);
        await h.ExecuteAsync("UPDATE people SET email = NULL WHERE id IN (1, 2)");
        var run = await h.RunAsync();
        Assert.Equal(2, run.Counts.FailedInvalid);
        Assert.Equal(run.Counts.Planned - 2, run.Counts.Sent);
        Assert.DoesNotContain(store.RequestLog.SelectMany(b => b.Records), r => r.Key is "1" or "2");
        Assert.All((await h.Engine.ErrorsAsync("subject")).Rows, r => Assert.Equal((RowOutcome.Invalid, SyncMessages.NoIdentifier), (r.Outcome, r.Reason)));
    }

    [Fact]
    public async Task Every_run_accounts_for_every_planned_row()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert.Replace("on_exit: delete", "on_exit: keep", StringComparison.Ordinal), people: 90, memory: m =>
        {
            m.PerRecord = r => r.Key switch
            {
                "13" => new RecordResult("13", RecordOutcome.Rejected, "no"),
                "5" => new RecordResult("5", RecordOutcome.Invalid, "bad"),
                "8" => new RecordResult("8", RecordOutcome.Pending, "later"),
                _ => null,
            };
        });
        await h.RunAsync();
        await h.ExecuteAsync(Churn);
        var run = await h.RunAsync();
        foreach (var record in await h.Engine.HistoryAsync("subject"))
        {
            var c = record.Counts;
            Assert.True(c.IsBalanced, c.ToString());
            Assert.Equal(c.Planned, c.Succeeded + c.FailedInvalid + c.FailedRejected + c.Skipped + c.Pending);
        }
        Assert.True(run.Counts.Skipped > 0 && run.Counts.FailedRejected > 0 && run.Counts.FailedInvalid > 0 && run.Counts.Pending > 0, run.Counts.ToString());
        var rows = (await h.Engine.ErrorsAsync("subject", run.RunId)).Rows;
        Assert.Equal(run.Counts.Failed + run.Counts.Pending, rows.Count);
    }

    [Fact]
    public async Task Membership_history_records_entries_and_exits_per_run()
    {
        await using var h = await Harness.CreateAsync(engine, Upsert);
        var first = await h.RunAsync();
        await h.ExecuteAsync(Churn);
        var second = await h.RunAsync();
        var events = await h.Engine.MembershipHistoryAsync("subject");
        Assert.Equal(first.Counts.Added, events.Count(e => e.RunId == first.RunId && e.Entered));
        Assert.Equal(["1", "10", "2", "4"], events.Where(e => e.RunId == second.RunId && !e.Entered).Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["12", "3", "6"], events.Where(e => e.RunId == second.RunId && e.Entered).Select(e => e.Key).Order(StringComparer.Ordinal));
        var history = await h.Engine.HistoryAsync("subject");
        Assert.Equal([second.RunId, first.RunId], history.Select(r => r.RunId));
    }

    [Fact]
    public async Task Pointing_a_sync_at_another_destination_sends_it_everything()
    {
        var other = new MemoryDestinationStore();
        var catalog = SyncTestProject.Catalog(new MemoryDestinationStore(), other);
        await using var h = await Harness.CreateAsync(engine, Upsert, files: f => f.Destination("second", "type: memory2\n"), catalog: catalog);
        await h.RunAsync();
        h.Files.Sync("subject", Upsert.Replace("destination: memory", "destination: second", StringComparison.Ordinal));
        var project = h.Files.Load();
        var moved = Definitions.SyncProject.Bind(project, catalog).Find("subject")!;
        var engine2 = new SyncEngine(h.Warehouse, project, catalog, h.Time, new SyncEngineOptions { State = h.State });
        var run = await engine2.RunAsync(moved, h.Options());
        Assert.Equal(run.AudienceSize, run.Counts.Added);
        Assert.Equal(await h.ExpectedAsync(), new SortedSet<string>(other.Records.Keys, StringComparer.Ordinal));
    }
}

public sealed class DuckDbRunTests(DuckDbEngine engine) : RunTests<DuckDbEngine>(engine);

public sealed class PostgresRunTests(PostgresEngine engine) : RunTests<PostgresEngine>(engine);
