using System.Text.RegularExpressions;
using Cohort.Cli;
using Cohort.Server.Tests.Infrastructure;
using Spectre.Console;

namespace Cohort.Server.Tests.Store;

/// <summary>`cohort serve` as the README runs it: prints the URL and the first-run password, serves the Studio, stops on cancel.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_the_url_and_the_first_run_password_and_the_studio_answers()
    {
        var dir = Paths.TempDirectory();
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new SyncWriter(writer)), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        using var stop = new CancellationTokenSource();
        var run = CohortCli.RunAsync(["serve", "-p", Paths.Shop, "--port", "0", "--store", "sqlite:" + Path.Combine(dir, "m.db"), "--no-scheduler"], console, new StringWriter(), cancellationToken: stop.Token);
        try
        {
            Match? url = null;
            for (var i = 0; i < 300 && url is not { Success: true }; i++)
            {
                Assert.False(run.IsCompleted, "serve stopped early: " + writer);
                await Task.Delay(100);
                url = UrlPattern().Match(Text(writer));
            }
            Assert.True(url!.Success, Text(writer));
            var text = Text(writer);
            var password = PasswordPattern().Match(text);
            Assert.True(password.Success, text);

            using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value) };
            Assert.Contains("Cohort Studio", await http.GetStringAsync("/login"), StringComparison.Ordinal);
            var token = await http.PostAsync("/api/auth/token", new StringContent($$"""{"username":"admin","password":"{{password.Groups[1].Value}}"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Text(StringWriter writer)
    {
        lock (writer) return writer.ToString().Replace("\n", " ", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"with password\s+(\S+)")]
    private static partial Regex PasswordPattern();

    /// <summary>The console writes from the server's thread while the test reads.</summary>
    private sealed class SyncWriter(StringWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (inner) inner.Write(value);
        }

        public override void Write(string? value)
        {
            lock (inner) inner.Write(value);
        }
    }
}
