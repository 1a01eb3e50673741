using System.Diagnostics;
using System.Globalization;

namespace Cohort.Testing.Postgres;

/// <summary>
/// Cluster directories under a shared root (default /tmp/cohort-pg). Each holds an `owner` file naming the
/// test process that made it, so a later run can tell a live cluster of a concurrent run from the leftovers
/// of a run that was killed, and stop and remove only the latter.
/// </summary>
internal static class ClusterDirectories
{
    public const string OwnerFile = "owner";

    /// <summary>A directory with no owner file younger than this may still be being set up.</summary>
    private static readonly TimeSpan SetupGrace = TimeSpan.FromMinutes(10);

    public static void EnsureRoot(string root)
    {
        Directory.CreateDirectory(root);
        if (ProcessRunner.RunsAsRoot && !OperatingSystem.IsWindows())
        {
            // Shared like /tmp: the postgres user creates cluster directories here.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
        }
    }

    /// <summary>Creates an empty cluster directory owned by whoever runs the server, with our owner file in it.</summary>
    public static string Create(string root)
    {
        var directory = Path.Combine(root, $"pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        if (ProcessRunner.RunsAsRoot)
        {
            var mkdir = ProcessRunner.Run("mkdir", ["-m", "700", directory], TimeSpan.FromSeconds(30));
            if (mkdir.ExitCode != 0)
                throw new PostgresServerException($"Could not create {directory} as the postgres user:\n{mkdir.Tail()}");
        }
        else
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(Path.Combine(directory, OwnerFile), OwnerStamp(Process.GetCurrentProcess()));
        return directory;
    }

    /// <summary>Stops and removes clusters whose owning process is gone. Returns the directories removed.</summary>
    public static IReadOnlyList<string> CleanupStale(string root, string binDirectory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(root))
            return removed;
        foreach (var directory in Directory.GetDirectories(root, "pg-*"))
        {
            if (IsStale(directory) && StopAndDelete(directory, binDirectory))
                removed.Add(directory);
        }
        return removed;
    }

    /// <summary>
    /// Stops the cluster in <paramref name="directory"/> if it runs, then deletes it: data/ first and the owner
    /// file last, so that if this is cut short the remains still look stale to the next run.
    /// </summary>
    public static bool StopAndDelete(string directory, string binDirectory)
    {
        var dataDirectory = Path.Combine(directory, "data");
        if (Postmaster.ReadPid(dataDirectory) is { } pid && !Postmaster.StopImmediately(dataDirectory, pid, TimeSpan.FromSeconds(10)))
        {
            // The signal did not take (another user's process?): let pg_ctl try.
            ProcessRunner.Run(Path.Combine(binDirectory, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(40));
        }
        return TryDelete(dataDirectory) && TryDelete(directory);
    }

    /// <summary>Signals the postmaster, then deletes the directory from a process that outlives this one.</summary>
    public static void StopAndDeleteDetached(string directory, string binDirectory)
    {
        var dataDirectory = Path.Combine(directory, "data");
        if (Postmaster.ReadPid(dataDirectory) is { } pid)
            Postmaster.Signal(pid);
        try
        {
            // setsid -f: the remover leaves our process tree, so killing the test host does not kill it too.
            var info = new ProcessStartInfo("setsid")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-f", "sh", "-c", "sleep 1; rm -rf \"$1/data\" && rm -rf \"$1\"", "sh", directory })
                info.ArgumentList.Add(argument);
            using var remover = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            StopAndDelete(directory, binDirectory); // no setsid: do what fits in the time left
        }
    }

    public static bool TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static bool IsStale(string directory)
    {
        var ownerPath = Path.Combine(directory, OwnerFile);
        if (!File.Exists(ownerPath))
            return DateTime.UtcNow - Directory.GetCreationTimeUtc(directory) > SetupGrace;

        var parts = File.ReadAllText(ownerPath).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks))
            return true;
        try
        {
            using var owner = Process.GetProcessById(pid);
            // The same pid with another start time is a different process that reused the number.
            return Math.Abs(owner.StartTime.ToUniversalTime().Ticks - startTicks) > TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // exited while we looked
        }
    }

    internal static string OwnerStamp(Process process) =>
        string.Create(CultureInfo.InvariantCulture, $"{process.Id} {process.StartTime.ToUniversalTime().Ticks}");
}
