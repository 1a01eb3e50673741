using Cohort.Core.Projects;
using Cohort.Sql;

namespace Cohort.Warehouses.Projects;

/// <summary>Opens the warehouse a project's <c>cohort.yaml</c> describes, running its init script where configured.</summary>
public static class ProjectWarehouse
{
    /// <param name="environment">Where connection strings come from; defaults to the process environment.</param>
    public static async Task<IWarehouse> OpenAsync(
        ProjectDefinition project,
        Func<string, string?>? environment = null,
        int? threads = null,
        CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        switch (project.Warehouse)
        {
            case WarehouseConfig.DuckDb duck:
                var created = !duck.InMemory && !File.Exists(duck.Path);
                var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(duck.Path, threads), cancellationToken).ConfigureAwait(false);
                if (duck.InitSqlPath is null || !(created || duck.InMemory)) return warehouse;
                try
                {
                    await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(duck.InitSqlPath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    return warehouse;
                }
                catch
                {
                    // A half-initialised file would never be initialised again: remove it.
                    await warehouse.DisposeAsync().ConfigureAwait(false);
                    if (created) TryDelete(duck.Path);
                    throw;
                }
            case WarehouseConfig.Postgres pg:
                var connectionString = pg.ResolveConnectionString(environment)
                    ?? throw new WarehouseException(
                        pg.ConnectionStringEnv is null
                            ? "The project's PostgreSQL warehouse has no connection string."
                            : $"The environment variable {pg.ConnectionStringEnv} (the project's PostgreSQL connection string) is not set.",
                        SqlDialectName.Postgres, WarehouseErrorKind.Connection, null, isTransient: false);
                return await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(connectionString, pg.Schema), cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unknown warehouse configuration {project.Warehouse.GetType().Name}.");
        }
    }

    private static void TryDelete(string path)
    {
        foreach (var file in new[] { path, path + ".wal" })
        {
            try
            {
                if (File.Exists(file)) File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the error that led here is the one to report.
            }
        }
    }
}
