using System.Globalization;

namespace Cohort.Testing.Postgres;

/// <summary>Finds initdb and pg_ctl: COHORT_PG_BINDIR, then Debian's /usr/lib/postgresql/N/bin (newest), then pg_config.</summary>
internal static class PostgresBinaries
{
    public const string EnvironmentVariable = "COHORT_PG_BINDIR";

    public static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return HasTools(fromEnvironment)
                ? fromEnvironment
                : throw new PostgresServerException($"{EnvironmentVariable}={fromEnvironment} holds no initdb and pg_ctl.");
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(c => HasTools(c.Dir))
                .OrderByDescending(c => c.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
                return newest.Dir;
        }

        var pgConfig = ProcessRunnerDirect("pg_config", "--bindir");
        if (pgConfig is not null && HasTools(pgConfig))
            return pgConfig;

        throw new PostgresServerException("No PostgreSQL server binaries (initdb, pg_ctl) were found. " + PostgresServerException.Hint);
    }

    private static bool HasTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    /// <summary>pg_config runs as the current user; it only prints paths.</summary>
    private static string? ProcessRunnerDirect(string executable, string argument)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(executable, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
