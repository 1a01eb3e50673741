using System.Diagnostics;
using System.Text;

namespace Cohort.Testing.Postgres;

internal sealed record ProcessResult(int ExitCode, string Output)
{
    /// <summary>The last lines of the output, enough to explain a failure.</summary>
    public string Tail(int lines = 20) => string.Join('\n', Output.Split('\n').TakeLast(lines)).TrimEnd();
}

/// <summary>
/// Runs PostgreSQL's tools. initdb and the server refuse to run as root, so as root every tool runs as the
/// `postgres` user through runuser; otherwise directly as the current user.
/// </summary>
internal static class ProcessRunner
{
    public static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    public static ProcessResult Run(string executable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(executable, arguments);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Append(output, $"(killed after {timeout.TotalSeconds:0} s)");
            return new ProcessResult(-1, Snapshot(output));
        }
        process.WaitForExit(); // flushes the asynchronous output handlers
        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    public static Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout) =>
        Task.Run(() => Run(executable, arguments, timeout));

    private static Process Start(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo
        {
            FileName = RunsAsRoot ? "runuser" : executable,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user may not be able to read the caller's working directory.
            WorkingDirectory = "/",
        };
        if (RunsAsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", executable })
                info.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new PostgresServerException($"Could not start {executable}.");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
