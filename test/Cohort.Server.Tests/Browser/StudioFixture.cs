using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cohort.Server.Tests.Browser;

/// <summary>
/// One server (SQLite store, free loopback port) and one headless Debian Chromium for the whole browser test class.
/// Chromium must be at /usr/bin/chromium (./test.sh installs it); Playwright never downloads a browser here.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly SqliteServerFixture _server = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public SqliteServerFixture Api => _server;

    public string Url => _server.Server.Url;

    public static string ScreenshotDirectory { get; } = Path.Combine(Paths.Repository(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: run ./test.sh, which installs Debian's chromium package, then run the tests again.");
        Directory.CreateDirectory(ScreenshotDirectory);
        await _server.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Running as root needs --no-sandbox; the rest keep Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh browser context signed in as <paramref name="user"/> through the login form.</summary>
    public async Task<IPage> SignInAsync(string user, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url, ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        // Generous: on a loaded 2-core machine, password hashing and the first Blazor render can take many seconds.
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/audiences");
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Waits until the Blazor circuit is live (the page marks itself data-interactive=true).</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-interactive=true]", new PageWaitForSelectorOptions { Timeout = 60_000 });

    public async Task<JsonObject> ApiAsync(HttpMethod method, string path, string user, string? raw = null)
    {
        var response = await _server.SendAsync(method, path, user, raw: raw);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await _server.DisposeAsync();
    }
}
