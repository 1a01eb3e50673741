using System.Collections.Concurrent;
using Cohort.Cli;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace Cohort.Server.Tests.Store;

/// <summary>Store, scheduler and project import/export behaviour; one subclass per metadata store engine.</summary>
public abstract class StoreTests<TStore> : IAsyncLifetime where TStore : IStoreProvider, new()
{
    private readonly TStore _stores = new();
    private readonly List<MetadataStore> _open = [];
    private static readonly DateTimeOffset Start = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _open) await s.DisposeAsync();
        await _stores.DisposeAsync();
    }

    private async Task<(MetadataStore Store, string Spec)> NewStoreAsync()
    {
        var spec = await _stores.CreateStoreAsync();
        var store = MetadataStore.Open(spec);
        _open.Add(store);
        await store.MigrateAsync();
        await store.MigrateAsync(); // idempotent
        return (store, spec);
    }

    [Fact]
    public async Task Saving_the_same_content_makes_no_version_and_deleting_writes_a_tombstone()
    {
        var (store, _) = await NewStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var docs = new DocumentStore(store, clock);
        Assert.Equal(SaveOutcome.Created, (await docs.SaveAsync("audience", "a", "yaml", "x: 1\n", "ann")).Outcome);
        Assert.Equal(SaveOutcome.Unchanged, (await docs.SaveAsync("audience", "a", "yaml", "x: 1\n", "bob")).Outcome);
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await docs.SaveAsync("audience", "a", "yaml", "x: 2\n", "bob");
        Assert.Equal(SaveOutcome.Updated, second.Outcome);
        Assert.Equal("-x: 1\n+x: 2\n", second.Version!.Diff);
        Assert.Equal(Start.AddMinutes(5), second.Version.CreatedAt);
        Assert.Equal(SaveOutcome.Deleted, (await docs.DeleteAsync("audience", "a", "cy"))!.Outcome);
        Assert.Empty(await docs.ListAsync("audience"));
        Assert.Null(await docs.DeleteAsync("audience", "a", "cy"));
        var versions = await docs.VersionsAsync("audience", "a");
        Assert.Equal([3, 2, 1], versions.Select(v => v.Version));
        Assert.True(versions[0].Deleted);
        Assert.Equal(["cy", "bob", "ann"], versions.Select(v => v.Author));
        await Assert.ThrowsAsync<VersionConflictException>(() => docs.SaveAsync("audience", "a", "yaml", "x: 3\n", "dee", expectedVersion: 2));
        Assert.Equal(SaveOutcome.Created, (await docs.SaveAsync("audience", "a", "yaml", "x: 3\n", "dee", expectedVersion: 3)).Outcome);
    }

    [Fact]
    public async Task Two_schedulers_on_one_store_never_run_the_same_sync_at_once()
    {
        var (store, _) = await NewStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var jobs = new JobStore(store);
        var runner = new CountingRunner();
        var names = Enumerable.Range(1, 8).Select(i => $"sync_{i}").ToList();
        foreach (var name in names) await jobs.UpsertAsync(name, new Schedule(Schedule.Interval, Every: "1 hour"), Start);
        var a = Scheduler(store, jobs, runner, clock, "server-a");
        var b = Scheduler(store, jobs, runner, clock, "server-b");

        var ran = await Task.WhenAll(a.TickAsync(), b.TickAsync(), a.TickAsync(), b.TickAsync());
        Assert.Equal(names.Order(), ran.SelectMany(r => r).Order());
        Assert.All(names, n => Assert.Equal(1, runner.Runs[n]));
        Assert.Equal(1, runner.MaxConcurrentPerSync);
        Assert.True(ran[0].Count + ran[2].Count > 0 && ran[1].Count + ran[3].Count > 0, "both servers should have taken a share");
        foreach (var job in await jobs.ListAsync())
        {
            Assert.Equal(Start.AddHours(1), job.NextRunAt);
            Assert.Null(job.LeaseOwner);
            Assert.Equal("succeeded", job.LastStatus);
        }
        Assert.Empty(await a.TickAsync()); // nothing due until the next hour

        clock.Advance(TimeSpan.FromHours(1));
        await Task.WhenAll(a.TickAsync(), b.TickAsync());
        Assert.All(names, n => Assert.Equal(2, runner.Runs[n]));
        Assert.Equal(16, (await jobs.RunsAsync(null, 100)).Count);
    }

    [Fact]
    public async Task A_leased_job_is_left_alone_until_its_lease_expires()
    {
        var (store, _) = await NewStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var jobs = new JobStore(store);
        var runner = new CountingRunner();
        await jobs.UpsertAsync("s", new Schedule(Schedule.Interval, Every: "1 hour"), Start);
        Assert.Equal(["s"], await jobs.ClaimDueAsync("crashed-server", Start, TimeSpan.FromMinutes(30), 1, default));
        var b = Scheduler(store, jobs, runner, clock, "server-b");
        Assert.Empty(await b.TickAsync());
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(["s"], await b.TickAsync());
        Assert.Equal(1, runner.Runs["s"]);
    }

    [Fact]
    public async Task A_manual_trigger_runs_through_the_placeholder_runner_and_is_recorded_as_not_available()
    {
        var (store, _) = await NewStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var jobs = new JobStore(store);
        await jobs.UpsertAsync("manual_sync", Schedule.ManualOnly, null);
        var scheduler = Scheduler(store, jobs, new NotAvailableSyncRunner(), clock, "server-a");
        Assert.Empty(await scheduler.TickAsync());
        Assert.True(await jobs.MakeDueAsync("manual_sync", clock.GetUtcNow()));
        Assert.Equal(["manual_sync"], await scheduler.TickAsync());
        var run = Assert.Single(await jobs.RunsAsync("manual_sync"));
        Assert.Equal(RunStatuses.NotAvailable, run.Status);
        Assert.Equal("manual", run.Trigger);
        Assert.Null((await jobs.GetAsync("manual_sync"))!.NextRunAt);
        Assert.Contains(await new AuditLog(store, clock).ReadAsync(), e => e.Action == "sync.run" && e.TargetName == "manual_sync");
    }

    [Fact]
    public void Cron_schedules_follow_the_time_zone_across_daylight_saving()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var daily = new Schedule(Schedule.CronType, Cron: "0 6 * * *", TimeZone: "Europe/London");
        Assert.Empty(daily.Check("schedule"));
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 6, 0, 0, TimeSpan.Zero), daily.NextAfter(Start, TimeZoneInfo.Utc));
        // 29 March 2026: clocks go forward; 06:00 in London is 05:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero), daily.NextAfter(Start.AddDays(1), TimeZoneInfo.Utc));
        var projectZone = new Schedule(Schedule.CronType, Cron: "30 9 * * 1");
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 8, 30, 0, TimeSpan.Zero), projectZone.NextAfter(Start, london));
        Assert.Equal(Start.AddMinutes(15), new Schedule(Schedule.Interval, Every: "15 minutes").NextAfter(Start, london));
        Assert.Null(Schedule.ManualOnly.NextAfter(Start, london));
        Assert.NotEmpty(new Schedule(Schedule.Interval, Every: "30 seconds").Check("schedule"));
        Assert.NotEmpty(new Schedule(Schedule.CronType, Cron: "61 * * * *").Check("schedule"));
    }

    [Fact]
    public async Task Apply_is_idempotent_and_export_writes_the_project_back_unchanged()
    {
        var (_, spec) = await NewStoreAsync();
        var (code, output) = await CliAsync("apply", "-p", Paths.Shop, "--store", spec);
        Assert.True(code == 0, output);
        Assert.Contains("added", output, StringComparison.Ordinal);
        (code, output) = await CliAsync("apply", "-p", Paths.Shop, "--store", spec, "--json");
        Assert.True(code == 0, output);
        Assert.DoesNotContain("\"added\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"changed\"", output, StringComparison.Ordinal);
        Assert.Contains("\"unchanged\"", output, StringComparison.Ordinal);

        var target = Paths.TempDirectory();
        try
        {
            (code, output) = await CliAsync("export", "-p", Paths.Shop, "--store", spec, "--out", target);
            Assert.True(code == 0, output);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Paths.Shop, "schema.yaml")), await File.ReadAllTextAsync(Path.Combine(target, "schema.yaml")));
            foreach (var file in Directory.GetFiles(Path.Combine(Paths.Shop, "audiences")))
                Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(Path.Combine(target, "audiences", Path.GetFileName(file))));
            foreach (var folder in new[] { "destinations", "syncs" })
            {
                var files = Directory.GetFiles(Path.Combine(Paths.Shop, folder));
                Assert.NotEmpty(files);
                foreach (var file in files)
                    Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(Path.Combine(target, folder, Path.GetFileName(file))));
            }
            Assert.True(File.Exists(Path.Combine(target, "cohort.yaml")));
            // The CLI's loader and the sync engine's binding read the exported destinations and syncs without a problem.
            var exported = Cohort.Core.Projects.ProjectLoader.Load(target);
            Assert.False(exported.HasErrors, string.Join("\n", exported.Diagnostics));
            Assert.Equal(3, exported.Syncs.Length);
            Assert.False(Cohort.Sync.Definitions.SyncProject.Bind(exported, Cohort.Destinations.Catalog.DestinationCatalog.CreateDefault()).HasErrors);
            // The exported folder is itself a project that applies with no change.
            (code, output) = await CliAsync("apply", "-p", target, "--store", spec, "--json");
            Assert.True(code == 0, output);
            Assert.DoesNotContain("\"changed\"", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task Apply_with_prune_removes_what_the_project_no_longer_has_and_keeps_history()
    {
        var (_, spec) = await NewStoreAsync();
        var project = Paths.TempDirectory();
        try
        {
            CopyDirectory(Paths.Shop, project);
            Assert.Equal(0, (await CliAsync("apply", "-p", project, "--store", spec)).Code);
            File.Delete(Path.Combine(project, "audiences", "birthday_this_week.yaml"));
            File.Delete(Path.Combine(project, "syncs", "vip_table.yaml"));
            File.Delete(Path.Combine(project, "destinations", "analytics_db.yaml"));
            var (code, output) = await CliAsync("apply", "-p", project, "--store", spec, "--prune", "--json");
            Assert.True(code == 0, output);
            Assert.Contains("deleted", output, StringComparison.Ordinal);
            await using var services = await CohortServer.CreateOfflineServicesAsync(new ServerOptions { ProjectPath = project, Store = spec });
            var docs = services.GetRequiredService<DocumentStore>();
            Assert.DoesNotContain(await docs.ListAsync(DocumentKinds.Audience), d => d.Name == "birthday_this_week");
            Assert.Equal(2, (await docs.VersionsAsync(DocumentKinds.Audience, "birthday_this_week")).Count);
            Assert.DoesNotContain(await docs.ListAsync(DocumentKinds.Sync), d => d.Name == "vip_table");
            Assert.DoesNotContain(await docs.ListAsync(DocumentKinds.Destination), d => d.Name == "analytics_db");
            Assert.Equal(2, (await docs.ListAsync(DocumentKinds.Sync)).Count);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task Apply_refuses_an_invalid_project_and_writes_nothing()
    {
        var (store, spec) = await NewStoreAsync();
        var project = Paths.TempDirectory();
        try
        {
            CopyDirectory(Paths.Shop, project);
            await File.WriteAllTextAsync(Path.Combine(project, "audiences", "broken.yaml"), "name: broken\nmodel: customers\ncondition: {property: nope, equals: 1}\n");
            var (code, _) = await CliAsync("apply", "-p", project, "--store", spec);
            Assert.Equal(1, code);
            Assert.Empty(await new DocumentStore(store, TimeProvider.System).ListAsync(DocumentKinds.Audience));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task A_sync_the_server_ran_is_in_the_cli_history_and_the_cli_plans_nothing_more()
    {
        var (_, spec) = await NewStoreAsync();
        var project = Paths.TempDirectory();
        try
        {
            CopyDirectory(Paths.Shop, project);
            long engineRun;
            await using (var server = await CohortServer.StartAsync(new ServerOptions
            {
                ProjectPath = project, Store = spec, Port = 0, AdminPassword = "admin-password-123", Scheduler = new SchedulerOptions { Enabled = false },
            }))
            {
                // The project's own file sync, run by the server from the stored definition (default state file: the CLI's).
                var run = await server.Services.GetRequiredService<SyncRunService>().RunNowAsync(Actor.System, "high_value_export");
                Assert.True(run.Status == RunStatuses.Succeeded, run.Detail);
                Assert.Equal(2, run.Result!.Succeeded);
                engineRun = run.Result.EngineRunId;
            }
            Assert.True(File.Exists(Path.Combine(project, ".cohort", "exports", $"high_value_export_{engineRun}.csv")));
            var (code, output) = await CliAsync("sync", "history", "high_value_export", "-p", project, "--json");
            Assert.True(code == 0, output);
            using (var json = System.Text.Json.JsonDocument.Parse(output))
                Assert.Equal(engineRun, json.RootElement.GetProperty("runs")[0].GetProperty("runId").GetInt64());
            (code, output) = await CliAsync("sync", "plan", "high_value_export", "-p", project);
            Assert.True(code == 0, output);
            Assert.Contains("0 row(s) to sync", output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(project, recursive: true);
        }
    }

    private static SyncScheduler Scheduler(MetadataStore store, JobStore jobs, ISyncRunner runner, TimeProvider clock, string owner) =>
        new(jobs, runner, new AuditLog(store, clock), clock, new SchedulerOptions { Owner = owner, BatchSize = 1, Lease = TimeSpan.FromMinutes(30) },
            () => TimeZoneInfo.Utc, NullLogger<SyncScheduler>.Instance);

    private static async Task<(int Code, string Output)> CliAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var errors = new StringWriter();
        var code = await CohortCli.RunAsync(args, console, errors);
        return (code, writer + errors.ToString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(".cohort", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    /// <summary>A runner that takes a little real time and records how many runs of each sync overlap.</summary>
    private sealed class CountingRunner : ISyncRunner
    {
        private readonly ConcurrentDictionary<string, int> _active = new();

        public ConcurrentDictionary<string, int> Runs { get; } = new();

        public int MaxConcurrentPerSync { get; private set; }

        public string Name => "counting";

        public async Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken)
        {
            var now = _active.AddOrUpdate(syncName, 1, (_, n) => n + 1);
            lock (this) MaxConcurrentPerSync = Math.Max(MaxConcurrentPerSync, now);
            Runs.AddOrUpdate(syncName, 1, (_, n) => n + 1);
            await Task.Delay(20, cancellationToken);
            _active.AddOrUpdate(syncName, 0, (_, n) => n - 1);
            return new SyncRunOutcome(RunStatuses.Succeeded);
        }
    }
}

public sealed class SqliteStoreTests : StoreTests<SqliteStoreProvider>;

public sealed class PostgresStoreTests : StoreTests<PostgresStoreProvider>;
