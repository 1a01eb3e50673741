using Cohort.Destinations.Catalog;
using Cohort.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server;

/// <summary>How to run a Cohort server. Defaults suit one person on one machine.</summary>
public sealed class ServerOptions
{
    /// <summary>The project folder (or its cohort.yaml): the warehouse, time zone, and the definitions imported on first start.</summary>
    public required string ProjectPath { get; init; }

    /// <summary><c>sqlite:PATH</c> (default: <c>PROJECT/.cohort/metadata.db</c>) or <c>postgres:CONNECTION_STRING</c>.</summary>
    public string? Store { get; init; }

    /// <summary>Address to listen on; loopback only by default. Port 0 picks a free port.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5080;

    /// <summary>First admin's username and password when the store has no user; a random password is generated (and shown once) when null.</summary>
    public string AdminUsername { get; init; } = "admin";

    public string? AdminPassword { get; init; }

    /// <summary>Import the project's YAML into the store when the store has no schema yet (first run).</summary>
    public bool ImportProjectIfEmpty { get; init; } = true;

    /// <summary>Keep the Data Protection key ring in this folder instead of the metadata store.</summary>
    public string? KeyDirectory { get; init; }

    /// <summary>Largest request body Kestrel accepts (definitions are further limited to 256 KiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>The destination types syncs can use (default: <see cref="DestinationCatalog.CreateDefault"/>).</summary>
    public DestinationCatalog? Destinations { get; init; }

    /// <summary>
    /// For a project whose warehouse is in-memory DuckDB: the DuckDB file that keeps the sync engine's state
    /// (default <c>PROJECT/.cohort/state.duckdb</c>, the CLI's). Other warehouses keep it in their <c>cohort_state</c> schema.
    /// </summary>
    public string? SyncStatePath { get; init; }

    /// <summary>Where <c>{env: NAME}</c> destination settings are read (default: the process environment).</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Extra registrations after the defaults, e.g. another <see cref="ISyncRunner"/>.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Show ASP.NET Core's request logs (off by default: the CLI prints its own banner).</summary>
    public bool VerboseLogging { get; init; }

    public string StoreSpec => Store ?? "sqlite:" + Path.Combine(ProjectDirectory, ".cohort", "metadata.db");

    public string ProjectDirectory
    {
        get
        {
            var full = Path.GetFullPath(ProjectPath);
            return Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? full;
        }
    }
}
