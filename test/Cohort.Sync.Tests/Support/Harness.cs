using Cohort.Core.Time;
using Cohort.Destinations.Catalog;
using Cohort.Sync.Definitions;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Testing;
using Cohort.Testing.Sync;
using Cohort.Warehouses;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Sync.Tests.Support;

/// <summary>One sync under test: the project files, a warehouse seeded with people, a memory destination and an engine on a fake clock.</summary>
public sealed class Harness : IAsyncDisposable
{
    private readonly TestWarehouse _warehouse;

    private Harness(SyncTestProject files, TestWarehouse warehouse, MemoryDestinationStore memory, FakeTimeProvider time, DestinationCatalog catalog, string sync,
        RetryOptions? retry)
    {
        Files = files;
        _warehouse = warehouse;
        Memory = memory;
        Time = time;
        Catalog = catalog;
        (Project, Sync) = files.Bind(sync, catalog);
        Engine = new SyncEngine(warehouse.Warehouse, Project, catalog, time, new SyncEngineOptions
        {
            State = warehouse.State,
            Retry = retry ?? new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(1) },
            BaseDirectory = files.Directory,
        });
    }

    public SyncTestProject Files { get; }

    public MemoryDestinationStore Memory { get; }

    public FakeTimeProvider Time { get; }

    public DestinationCatalog Catalog { get; }

    public Core.Projects.LoadedProject Project { get; }

    public BoundSync Sync { get; }

    public SyncEngine Engine { get; }

    public IWarehouse Warehouse => _warehouse.Warehouse;

    public State.StateLocation State => _warehouse.State;

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the sync (YAML) as <c>syncs/{name}.yaml</c>, seeds <paramref name="people"/> people, and builds the engine.</summary>
    public static async Task<Harness> CreateAsync(EngineFixture engine, string syncYaml, int people = 60, string name = "subject",
        Action<SyncTestProject>? files = null, Action<MemoryDestinationStore>? memory = null, DestinationCatalog? catalog = null, RetryOptions? retry = null)
    {
        var project = new SyncTestProject();
        project.Sync(name, syncYaml);
        files?.Invoke(project);
        var store = new MemoryDestinationStore();
        memory?.Invoke(store);
        var warehouse = await engine.CreateAsync();
        await warehouse.Warehouse.ExecuteScriptAsync(SyncTestProject.SeedSql(people));
        return new Harness(project, warehouse, store, new FakeTimeProvider(Start), catalog ?? SyncTestProject.Catalog(store), name, retry);
    }

    public SyncRunOptions Options(Func<CrashPoint, ValueTask>? crash = null) =>
        new() { Evaluation = EvaluationContext.Utc(Time.GetUtcNow().UtcDateTime), CrashHook = crash, PageSize = PageSize };

    public int? PageSize { get; set; }

    /// <summary>Runs the sync while advancing the fake clock, so backoff and Retry-After waits pass instantly.</summary>
    public async Task<SyncRunRecord> RunAsync(Func<CrashPoint, ValueTask>? crash = null)
    {
        var run = Engine.RunAsync(Sync, Options(crash));
        await Clock.AdvanceUntilDone(Time, run);
        return await run;
    }

    public Task<SyncPlan> PlanAsync(int sample = 20) => Engine.PlanAsync(Sync, Options(), sample);

    public Task ExecuteAsync(string sql) => Warehouse.ExecuteScriptAsync(sql);

    /// <summary>The keys the sync should hold now, computed by hand-written SQL: active people, minus unsubscribed ones unless told otherwise.</summary>
    public async Task<SortedSet<string>> ExpectedAsync(string where = "active AND segment <> 'unsub'")
    {
        var rows = await Warehouse.ReadAllAsync($"SELECT CAST(id AS VARCHAR) FROM people WHERE {where}");
        return new SortedSet<string>(rows.Select(r => (string)r[0]!), StringComparer.Ordinal);
    }

    public SortedSet<string> Held() => new(Memory.Records.Keys, StringComparer.Ordinal);

    public ValueTask DisposeAsync()
    {
        Files.Dispose();
        return _warehouse.DisposeAsync();
    }
}

public static class Clock
{
    /// <summary>Advances a fake clock in small steps until <paramref name="task"/> completes (or 60 s of real time pass).</summary>
    public static async Task AdvanceUntilDone(FakeTimeProvider time, Task task, TimeSpan? step = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(task, Task.Delay(1));
            if (!task.IsCompleted) time.Advance(step ?? TimeSpan.FromMilliseconds(250));
        }
    }
}
