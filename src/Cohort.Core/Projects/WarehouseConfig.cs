namespace Cohort.Core.Projects;

/// <summary>The warehouse a project runs against, as configured in <c>cohort.yaml</c>. Holds no secrets.</summary>
public abstract record WarehouseConfig
{
    private WarehouseConfig() { }

    /// <summary>
    /// An embedded DuckDB database. <see cref="Path"/> is absolute (resolved against the project directory) or
    /// <c>:memory:</c>; <see cref="InitSqlPath"/>, when set, is an absolute path to a SQL file run when the database is created.
    /// </summary>
    public sealed record DuckDb(string Path, string? InitSqlPath = null) : WarehouseConfig
    {
        public const string Memory = ":memory:";

        public bool InMemory => Path == Memory;
    }

    /// <summary>
    /// A PostgreSQL database. The connection string normally comes from the environment variable
    /// <see cref="ConnectionStringEnv"/>; a literal <see cref="ConnectionString"/> is accepted only without a password.
    /// </summary>
    public sealed record Postgres(string? ConnectionStringEnv, string? ConnectionString, string? Schema = null) : WarehouseConfig
    {
        /// <summary>The connection string, read from <paramref name="environment"/> (normally Environment.GetEnvironmentVariable); null when unset.</summary>
        public string? ResolveConnectionString(Func<string, string?> environment) =>
            ConnectionString ?? (ConnectionStringEnv is null ? null : environment(ConnectionStringEnv));
    }
}
