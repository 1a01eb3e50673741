using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohort.Server;
using Cohort.Server.Scheduling;
using Cohort.Testing.Postgres;

namespace Cohort.Server.Tests.Infrastructure;

public static class Paths
{
    public static string Repository([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    public static string Shop => Path.Combine(Repository(), "examples", "shop");

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cohort-server-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Where a test server keeps its metadata: a new SQLite file or a new PostgreSQL database.</summary>
public interface IStoreProvider : IAsyncDisposable
{
    string Name { get; }

    Task<string> CreateStoreAsync();
}

public sealed class SqliteStoreProvider : IStoreProvider
{
    private readonly string _dir = Paths.TempDirectory();

    public string Name => "sqlite";

    public Task<string> CreateStoreAsync() => Task.FromResult("sqlite:" + Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".db"));

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresStoreProvider : IStoreProvider
{
    private readonly List<string> _databases = [];
    private PostgresServer? _server;

    public string Name => "postgres";

    public async Task<string> CreateStoreAsync()
    {
        _server ??= await PostgresServer.SharedAsync();
        var cs = await _server.CreateDatabaseAsync();
        _databases.Add(cs);
        return "postgres:" + cs;
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        foreach (var cs in _databases) await _server!.DropDatabaseAsync(cs);
    }
}

/// <summary>
/// One running server per test class (on a free loopback port), on the shop example, with one user of each role
/// and an API token for each.
/// </summary>
public abstract class ServerFixture<TStore> : IAsyncLifetime where TStore : IStoreProvider, new()
{
    public const string AdminPassword = "admin-password-123";
    public const string UserPassword = "user-password-123";

    private readonly string _stateDirectory = Paths.TempDirectory();

    public TStore Stores { get; } = new();
    public RunningServer Server { get; private set; } = default!;
    public HttpClient Http { get; private set; } = default!;
    public string StoreSpec { get; private set; } = "";
    public Dictionary<string, string> Tokens { get; } = [];
    public Dictionary<string, string> UserIds { get; } = [];

    protected virtual ServerOptions Options(string store) => new()
    {
        ProjectPath = Paths.Shop,
        Store = store,
        Port = 0,
        AdminPassword = AdminPassword,
        Scheduler = new SchedulerOptions { Enabled = false },
        // The shop's warehouse is in-memory DuckDB: each test server keeps its sync state in a file of its own.
        SyncStatePath = Path.Combine(_stateDirectory, "state.duckdb"),
    };

    public virtual async Task InitializeAsync()
    {
        StoreSpec = await Stores.CreateStoreAsync();
        Server = await CohortServer.StartAsync(Options(StoreSpec));
        Http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Tokens["admin"] = await LoginAsync("admin", AdminPassword);
        var me = await GetJsonAsync("/api/me", "admin");
        UserIds["admin"] = me["id"]!.GetValue<string>();
        foreach (var (name, role) in new[] { ("marketer", "marketer"), ("viewer", "viewer"), ("engineer", "data_engineer") })
        {
            var created = await SendAsync(HttpMethod.Post, "/api/users", "admin", new { username = name, role, password = UserPassword });
            created.EnsureSuccessStatusCode();
            UserIds[name] = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            Tokens[name] = await LoginAsync(name, UserPassword);
        }
    }

    public async Task<string> LoginAsync(string username, string password)
    {
        var response = await Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user, object? json = null, string? raw = null, string contentType = "application/json", bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path);
        // With 100-continue the server can refuse an oversize body before the client sends it (no reset race).
        if (expectContinue) request.Headers.ExpectContinue = true;
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.TryGetValue(user, out var t) ? t : user);
        if (json is not null) request.Content = JsonContent.Create(json);
        else if (raw is not null) request.Content = new StringContent(raw, Encoding.UTF8, contentType);
        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path, string user)
    {
        var response = await SendAsync(HttpMethod.Get, path, user);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} as {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        await Stores.DisposeAsync();
        try { Directory.Delete(_stateDirectory, recursive: true); } catch (IOException) { /* best effort */ }
    }
}

public sealed class SqliteServerFixture : ServerFixture<SqliteStoreProvider>;

public sealed class PostgresServerFixture : ServerFixture<PostgresStoreProvider>;

public static class Problem
{
    /// <summary>Asserts a ProblemDetails response with the status and returns its body.</summary>
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, json["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(json["title"]?.GetValue<string>()));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack trace
        return json;
    }

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
