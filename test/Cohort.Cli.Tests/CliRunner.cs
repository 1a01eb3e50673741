using System.Runtime.CompilerServices;
using System.Text.Json;
using Spectre.Console;

namespace Cohort.Cli.Tests;

/// <summary>What one in-process run of <c>cohort</c> printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs <see cref="CohortCli.RunAsync"/> in process with a captured, plain (no colour, no animation) console.</summary>
public static class CliRunner
{
    public const int Width = 100;

    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(TimeProvider.System, args);

    public static async Task<CliResult> RunAsync(TimeProvider clock, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var errors = new StringWriter { NewLine = "\n" };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width;
        var code = await CohortCli.RunAsync(args, console, errors, clock);
        return new CliResult(code, output.ToString(), errors.ToString());
    }

    /// <summary>The repository root (the folder holding Cohort.slnx).</summary>
    public static string RepositoryRoot([CallerFilePath] string here = "")
    {
        var dir = Path.GetDirectoryName(here);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Cohort.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("The repository root was not found above " + here);
    }

    public static string ShopExample => Path.Combine(RepositoryRoot(), "examples", "shop");

    public static string TestDirectory([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;
}

/// <summary>A folder under the temp directory, deleted when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "cohort-cli-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine; the temp folder is cleaned eventually.
        }
    }
}
