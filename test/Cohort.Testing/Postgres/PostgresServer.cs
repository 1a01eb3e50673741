using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cohort.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temporary directory, started with pg_ctl on a free loopback
/// port with durability off, and removed entirely when stopped. Use <see cref="SharedAsync"/> (one per test
/// process) and give each test class its own database through <see cref="PostgresDatabase"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);
    private static int s_databaseCounter;

    private readonly NpgsqlDataSource _admin;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly Lock _stopLock = new();
    private bool _stopped;

    private PostgresServer(string binDirectory, string directory, int port)
    {
        BinDirectory = binDirectory;
        DirectoryPath = directory;
        Port = port;
        _admin = NpgsqlDataSource.Create(ConnectionStringFor("postgres"));
    }

    /// <summary>Where clusters live; stale ones left by killed runs are removed from here on start.</summary>
    public static string DefaultRoot { get; } = Path.Combine(Path.GetTempPath(), "cohort-pg");

    public string BinDirectory { get; }

    /// <summary>The cluster's directory: data/, the unix socket and server.log. Gone once stopped.</summary>
    public string DirectoryPath { get; }

    public string DataDirectory => Path.Combine(DirectoryPath, "data");

    public int Port { get; }

    /// <summary>
    /// The process-wide server, started on first use and stopped when the process exits. A failure to start is
    /// remembered, so every test that needs the server fails fast with the same explanation.
    /// </summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopOnExit();
        return server;
    }

    /// <summary>Starts a new cluster under <paramref name="root"/> (default <see cref="DefaultRoot"/>).</summary>
    public static async Task<PostgresServer> StartAsync(string? root = null)
    {
        root ??= DefaultRoot;
        var bin = PostgresBinaries.FindBinDirectory();
        ClusterDirectories.EnsureRoot(root);
        ClusterDirectories.CleanupStale(root, bin);

        var directory = ClusterDirectories.Create(root);
        try
        {
            await InitDbAsync(bin, directory).ConfigureAwait(false);
            var port = await StartServerAsync(bin, directory).ConfigureAwait(false);
            return new PostgresServer(bin, directory, port);
        }
        catch
        {
            ClusterDirectories.TryDelete(directory);
            throw;
        }
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"cohort_test_{Interlocked.Increment(ref s_databaseCounter)}_{Guid.NewGuid():N}")[..32];
        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\"");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _createLock.Release();
        }
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connections left to it.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server immediately and removes its directory. Safe to call more than once.</summary>
    public void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped)
                return;
            _stopped = true;
        }
        ClusterDirectories.StopAndDelete(DirectoryPath, BinDirectory);
        _admin.Dispose();
    }

    /// <summary>
    /// The test host is killed about 0.1 s after ProcessExit starts: signal the postmaster and leave the
    /// deletion to a detached process. If even that is cut short, the next run removes the remains.
    /// </summary>
    private void StopOnExit()
    {
        lock (_stopLock)
        {
            if (_stopped)
                return;
            _stopped = true;
        }
        ClusterDirectories.StopAndDeleteDetached(DirectoryPath, BinDirectory);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static async Task InitDbAsync(string bin, string directory)
    {
        var initdb = Path.Combine(bin, "initdb");
        var data = Path.Combine(directory, "data");
        string[] common = ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"];
        var result = await ProcessRunner.RunAsync(initdb, [.. common, "--locale=C.UTF-8"], ToolTimeout).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // Older systems lack the C.UTF-8 locale; plain C still stores UTF-8 text.
            ClusterDirectories.TryDelete(data);
            result = await ProcessRunner.RunAsync(initdb, [.. common, "--locale=C"], ToolTimeout).ConfigureAwait(false);
        }
        if (result.ExitCode != 0)
            throw new PostgresServerException($"initdb failed (exit code {result.ExitCode}):\n{result.Tail()}\n{PostgresServerException.Hint}");

        // Throwaway data: no durability, TCP on loopback only, the socket beside the data.
        var settings = $"""

            # Cohort test server
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{directory}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200
            """;
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), settings).ConfigureAwait(false);
    }

    private static async Task<int> StartServerAsync(string bin, string directory)
    {
        var log = Path.Combine(directory, "server.log");
        ProcessResult? result = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            result = await ProcessRunner.RunAsync(
                Path.Combine(bin, "pg_ctl"),
                ["-D", Path.Combine(directory, "data"), "-l", log, "-w", "-t", "60", "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)}", "start"],
                ToolTimeout).ConfigureAwait(false);
            if (result.ExitCode == 0)
                return port;
            // Another process may have taken the port between our probe and the server's bind.
            if (!ServerLog(log).Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                break;
        }
        throw new PostgresServerException(
            $"pg_ctl start failed (exit code {result!.ExitCode}):\n{result.Tail()}\nserver.log:\n{ServerLog(log)}\n{PostgresServerException.Hint}");
    }

    private static string ServerLog(string path)
    {
        try
        {
            return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(20)) : "(none)";
        }
        catch (IOException)
        {
            return "(unreadable)";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
