using System.Globalization;
using System.Runtime.InteropServices;

namespace Cohort.Testing.Postgres;

/// <summary>
/// Stops a cluster by signalling its postmaster directly. The test host is killed about 0.1 s after
/// ProcessExit starts, too soon for `runuser pg_ctl stop`; a signal is immediate.
/// </summary>
internal static partial class Postmaster
{
    private const int SigQuit = 3; // PostgreSQL's "immediate shutdown"

    /// <summary>The postmaster's pid from data/postmaster.pid, or null when the server is not running.</summary>
    public static int? ReadPid(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Asks for an immediate shutdown without waiting for it.</summary>
    public static void Signal(int pid) => Kill(pid, SigQuit);

    /// <summary>Asks for an immediate shutdown and waits up to <paramref name="timeout"/> for the postmaster to finish.</summary>
    public static bool StopImmediately(string dataDirectory, int pid, TimeSpan timeout)
    {
        if (Kill(pid, SigQuit) != 0)
            return true; // already gone
        // The postmaster removes its pid file as it exits (about 10 ms). The pid itself can outlive it as a
        // zombie until init reaps it, so it is the file that tells.
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (!File.Exists(pidFile) || Kill(pid, 0) != 0)
                return true;
            Thread.Sleep(2);
        }
        return false;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
