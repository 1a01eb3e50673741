namespace Cohort.Testing.Postgres;

/// <summary>The throwaway PostgreSQL server could not be set up. Tests that need it fail with this message.</summary>
public sealed class PostgresServerException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    internal const string Hint =
        "Install PostgreSQL (./test.sh installs it with apt-get when /usr/lib/postgresql/*/bin/initdb is missing) " +
        "or point COHORT_PG_BINDIR at a directory holding initdb and pg_ctl.";
}
