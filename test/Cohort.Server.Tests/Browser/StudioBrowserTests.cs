using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Cohort.Cli;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Spectre.Console;

namespace Cohort.Server.Tests.Browser;

/// <summary>The Studio in a real browser (Debian Chromium driven by Playwright), against a real server.</summary>
public sealed class StudioBrowserTests(StudioFixture fx) : IClassFixture<StudioFixture>
{
    private const string Marketer = "marketer";
    private const string Viewer = "viewer";
    private const string Password = ServerFixture<SqliteStoreProvider>.UserPassword;

    [Fact]
    public async Task A_marketer_builds_an_audience_sees_the_cli_count_saves_it_views_sql_and_sees_the_syncs()
    {
        var page = await fx.SignInAsync(Marketer, Password);
        await StudioFixture.ScreenshotAsync(page, "01-audience-list");

        await page.GotoAsync("/audiences/new");
        await StudioFixture.WaitInteractiveAsync(page);
        await page.FillAsync("#audience-name", "recent_gb_buyers");

        // Block 1: performed Order Completed within the last 30 days.
        await page.SelectOptionAsync("[data-testid=root-add-kind]", "Event");
        await page.ClickAsync("[data-testid=root-add]");
        var eventNode = page.Locator("[data-testid=root-0]");
        await eventNode.Locator("select.event-names").SelectOptionAsync(["Order Completed"]);
        await eventNode.Locator("select.window").SelectOptionAsync("within_last");
        await eventNode.Locator("input.window-value").FillAsync("30 days");

        // Block 2: a property condition, with the value typed as a marketer would.
        await page.SelectOptionAsync("[data-testid=root-add-kind]", "Property");
        await page.ClickAsync("[data-testid=root-add]");
        var propertyNode = page.Locator("[data-testid=root-1]");
        await propertyNode.Locator("select.column").SelectOptionAsync("country");
        await propertyNode.Locator("select.op").SelectOptionAsync("in");
        await propertyNode.Locator("input.value").FillAsync("GB, US");

        var expected = await CliCountAsync("""
            name: recent_gb_buyers
            model: customers
            condition:
              all:
                - {event: Order Completed, within_last: 30 days}
                - {property: country, in: [GB, US]}
            """);
        Assert.True(expected > 0, "the shop example should have recent GB/US buyers");
        var count = page.Locator("[data-testid=live-count]");
        await Assertions.Expect(count).ToHaveTextAsync(expected.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=block-counts] tr")).ToHaveCountAsync(2);
        // PII is masked in the sample for a marketer.
        await Assertions.Expect(page.Locator("[data-testid=sample]")).ToContainTextAsync("•••");
        await Assertions.Expect(page.Locator("[data-testid=sample] th.masked", new() { HasText = "email" })).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#breakdown-column", "country");
        await Assertions.Expect(page.Locator("[data-testid=breakdown] .bar-row")).Not.ToHaveCountAsync(0);
        await page.SelectOptionAsync("#overlap-with", ["high_value"]);
        await Assertions.Expect(page.Locator("[data-testid=overlap]")).ToContainTextAsync("high_value");
        await StudioFixture.ScreenshotAsync(page, "02-audience-builder");

        await page.ClickAsync("[data-testid=save]");
        try { await page.WaitForURLAsync("**/audiences/recent_gb_buyers**"); }
        catch (TimeoutException) { await StudioFixture.ScreenshotAsync(page, "failed-save"); throw; }
        await StudioFixture.WaitInteractiveAsync(page);
        var saved = await fx.ApiAsync(HttpMethod.Get, "/api/audiences/recent_gb_buyers", Viewer);
        Assert.Equal("marketer", saved["createdBy"]!.GetValue<string>());
        Assert.Equal(1, saved["version"]!.GetValue<int>());
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("Saved version 1");
        await Assertions.Expect(page.Locator("[data-testid=live-count]")).ToHaveTextAsync(expected.ToString("N0", CultureInfo.InvariantCulture));

        await page.ClickAsync("[data-testid=tab-sql]");
        await Assertions.Expect(page.Locator("[data-testid=sql-duckdb]")).ToContainTextAsync("SELECT");
        await Assertions.Expect(page.Locator("[data-testid=sql-postgres]")).ToContainTextAsync("SELECT");
        await StudioFixture.ScreenshotAsync(page, "03-view-sql");
        await page.ClickAsync("[data-testid=tab-yaml]");
        await Assertions.Expect(page.Locator("[data-testid=yaml]")).ToContainTextAsync("within_last: 30 days");

        await page.GotoAsync("/syncs");
        await Assertions.Expect(page.Locator("[data-testid=sync-list]")).ToContainTextAsync("high_value_export");
        await Assertions.Expect(page.Locator("[data-testid=destination-list]")).ToContainTextAsync("crm_webhook");
        await StudioFixture.ScreenshotAsync(page, "04-sync-list");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_marketer_sets_up_a_sync_to_a_file_runs_a_dry_run_runs_it_and_sees_the_run_in_the_history()
    {
        // An admin has set up the destination (marketers pick destinations; they never handle credentials).
        var folder = Paths.TempDirectory();
        var destination = new JsonObject
        {
            ["name"] = "studio_files", ["type"] = "file", ["description"] = "CSV drop",
            ["settings"] = new JsonObject { ["path"] = folder, ["format"] = "csv" },
        };
        await fx.ApiAsync(HttpMethod.Post, "/api/destinations", "admin", destination.ToJsonString());

        var page = await fx.SignInAsync(Marketer, Password);
        await page.GotoAsync("/syncs");
        await page.ClickAsync("[data-testid=new-sync]");
        await page.WaitForURLAsync("**/syncs/new");
        await StudioFixture.WaitInteractiveAsync(page);
        await page.FillAsync("#sync-name", "hv_to_files");
        await page.FillAsync("#sync-description", "High-value customers as a CSV");
        await page.SelectOptionAsync("#sync-audience", "high_value");
        await page.SelectOptionAsync("#sync-destination", "studio_files");
        await page.SelectOptionAsync("#sync-mode", "mirror");
        await page.Locator("[data-testid=identifier-0] select.source").SelectOptionAsync("column:email");
        await page.ClickAsync("[data-testid=add-field]");
        await page.Locator("[data-testid=field-0] input.field-name").FillAsync("first_name");
        await page.Locator("[data-testid=field-0] select.source").SelectOptionAsync("column:first_name");
        await page.ClickAsync("[data-testid=add-field]");
        await page.Locator("[data-testid=field-1] input.field-name").FillAsync("ltv");
        await page.Locator("[data-testid=field-1] select.source").SelectOptionAsync("trait:lifetime_value");
        await page.SelectOptionAsync("#schedule-type", "interval");
        await page.FillAsync("#schedule-every", "1 day");
        await StudioFixture.ScreenshotAsync(page, "10-sync-setup");
        await page.ClickAsync("[data-testid=save-sync]");
        try { await page.WaitForURLAsync("**/syncs/hv_to_files?saved=1"); }
        catch (TimeoutException) { await StudioFixture.ScreenshotAsync(page, "failed-sync-save"); throw; }
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=schedule]")).ToContainTextAsync("every 1 day");

        // The Studio saved the project format: the same document the CLI reads.
        var saved = await fx.ApiAsync(HttpMethod.Get, "/api/syncs/hv_to_files", Viewer);
        Assert.Equal("marketer", saved["updatedBy"]!.GetValue<string>());
        var content = saved["content"]!.GetValue<string>();
        var written = Cohort.Core.Syncs.SyncReader.ReadText(content, "hv_to_files.yaml", new Cohort.Core.Diagnostics.DiagnosticBag());
        Assert.NotNull(written);
        Assert.Equal("studio_files", written.Destination);
        Assert.Equal(Cohort.Core.Syncs.SyncMode.Mirror, written.Mode);
        Assert.Equal(new Cohort.Core.Syncs.SyncSchedule("1 day", null), written.Schedule);
        Assert.Equal(["first_name", "ltv"], written.Fields.Select(f => f.Field));

        var expected = (await fx.ApiAsync(HttpMethod.Post, "/api/audiences/high_value/preview", Viewer, "{\"sample\":0}"))["count"]!.GetValue<long>();
        await page.ClickAsync("[data-testid=dry-run]");
        await Assertions.Expect(page.Locator("[data-testid=plan-added]")).ToHaveTextAsync(expected.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=plan-sample]")).ToContainTextAsync("•••"); // the marketer sees identifiers masked
        await StudioFixture.ScreenshotAsync(page, "11-sync-dry-run");
        Assert.Empty(Directory.GetFiles(folder, "*.csv")); // a dry run sends nothing

        await page.ClickAsync("[data-testid=run-now]");
        var firstRun = page.Locator("[data-testid=runs] tbody tr").First;
        await Assertions.Expect(firstRun.Locator("td.status")).ToHaveTextAsync("succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(firstRun.Locator("[data-testid=run-succeeded]")).ToHaveTextAsync(expected.ToString(CultureInfo.InvariantCulture));
        await StudioFixture.ScreenshotAsync(page, "12-sync-run-history");
        var file = Assert.Single(Directory.GetFiles(folder, "*.csv"));
        Assert.Equal(expected + 1, (await File.ReadAllLinesAsync(file)).Count(l => l.Length > 0)); // a header and one row per member

        // Editing opens the form on the stored sync; a new schedule is a new version.
        await page.ClickAsync("[data-testid=edit-sync]");
        await page.WaitForURLAsync("**/syncs/hv_to_files/edit");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#sync-destination")).ToHaveValueAsync("studio_files");
        await Assertions.Expect(page.Locator("[data-testid=field-1] select.source")).ToHaveValueAsync("trait:lifetime_value");
        await page.SelectOptionAsync("#schedule-type", "cron");
        await page.FillAsync("#schedule-cron", "0 6 * * 1-5");
        await page.FillAsync("#schedule-time-zone", "Europe/London");
        await page.ClickAsync("[data-testid=save-sync]");
        await page.WaitForURLAsync("**/syncs/hv_to_files?saved=2");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=schedule]")).ToContainTextAsync("cron '0 6 * * 1-5' (Europe/London)");
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Errors_are_shown_next_to_the_field_that_caused_them()
    {
        var page = await fx.SignInAsync(Marketer, Password);
        await page.GotoAsync("/audiences/new");
        await StudioFixture.WaitInteractiveAsync(page);
        await page.FillAsync("#audience-name", "with_errors");
        await page.SelectOptionAsync("[data-testid=root-add-kind]", "Event");
        await page.ClickAsync("[data-testid=root-add]");
        var eventNode = page.Locator("[data-testid=root-0]");
        await eventNode.Locator("select.event-names").SelectOptionAsync(["Page Viewed"]);
        await eventNode.Locator("select.window").SelectOptionAsync("within_last");
        await eventNode.Locator("input.window-value").FillAsync("30 dayz");
        await Assertions.Expect(eventNode.Locator(".field-errors")).ToContainTextAsync("dayz");
        await Assertions.Expect(eventNode.Locator(".field-errors")).ToContainTextAsync("days");
        await StudioFixture.ScreenshotAsync(page, "05-errors-next-to-fields");
        await eventNode.Locator("input.window-value").FillAsync("30 days");
        await Assertions.Expect(eventNode.Locator(".field-errors")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_viewer_cannot_edit_in_the_studio_or_through_the_api()
    {
        var page = await fx.SignInAsync(Viewer, Password);
        await Assertions.Expect(page.Locator("[data-testid=new-audience]")).ToHaveCountAsync(0);
        await page.GotoAsync("/audiences/high_value");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=save]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=read-only]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=root-add]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#audience-description")).ToBeDisabledAsync();
        await StudioFixture.ScreenshotAsync(page, "06-viewer-read-only");
        await page.GotoAsync("/audiences/high_value/history");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid^=restore-]")).ToHaveCountAsync(0);
        await page.GotoAsync("/syncs/high_value_export");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=sync-yaml]")).ToContainTextAsync("audience: high_value");
        await Assertions.Expect(page.Locator("[data-testid=run-now]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=dry-run]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=edit-sync]")).ToHaveCountAsync(0);

        var response = await fx.Api.SendAsync(HttpMethod.Put, "/api/audiences/high_value", Viewer,
            raw: """{"name":"high_value","model":"customers","condition":{"trait":"lifetime_value","gte":1}}""");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Restoring_an_old_version_in_the_history_makes_it_current_again()
    {
        const string v1 = """{"name":"restore_me","model":"customers","condition":{"event":"Page Viewed","within_last":"30 days"}}""";
        await fx.ApiAsync(HttpMethod.Post, "/api/audiences", Marketer, v1);
        await fx.ApiAsync(HttpMethod.Put, "/api/audiences/restore_me", Marketer, v1.Replace("30 days", "7 days", StringComparison.Ordinal));

        var page = await fx.SignInAsync(Marketer, Password);
        await page.GotoAsync("/audiences/restore_me/history");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=versions] tbody tr")).ToHaveCountAsync(2);
        await page.ClickAsync("[data-testid=restore-1]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("Restored version 1 as version 3");
        await Assertions.Expect(page.Locator("[data-testid=versions] tbody tr")).ToHaveCountAsync(3);
        await StudioFixture.ScreenshotAsync(page, "07-version-history");
        var current = await fx.ApiAsync(HttpMethod.Get, "/api/audiences/restore_me", Viewer);
        Assert.Equal(3, current["version"]!.GetValue<int>());
        Assert.Contains("30 days", current["yaml"]!.GetValue<string>(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Restoring_an_old_sync_version_in_its_history_brings_its_schedule_back()
    {
        await fx.ApiAsync(HttpMethod.Post, "/api/destinations", "admin", """{"name":"restore_sheet","type":"file","settings":{"path":"restore-sheet.csv"}}""");
        const string v1 = """{"name":"restore_sync","audience":"high_value","destination":"restore_sheet","mode":"mirror","fields":{"first_name":"first_name"},"identifiers":{"email":"email"},"schedule":{"cron":"0 6 * * *"}}""";
        await fx.ApiAsync(HttpMethod.Post, "/api/syncs", Marketer, v1);
        await fx.ApiAsync(HttpMethod.Put, "/api/syncs/restore_sync", Marketer, v1.Replace("0 6 * * *", "0 7 * * *", StringComparison.Ordinal));

        var page = await fx.SignInAsync(Marketer, Password);
        await page.GotoAsync("/syncs/restore_sync");
        await StudioFixture.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=history-link]");
        await page.WaitForURLAsync("**/syncs/restore_sync/history");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=versions] tbody tr")).ToHaveCountAsync(2);
        await page.ClickAsync("[data-testid=restore-1]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("Restored version 1 as version 3");
        await Assertions.Expect(page.Locator("[data-testid=versions] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=versions] tr[data-version='3']")).ToContainTextAsync("restored from version 1");
        await StudioFixture.ScreenshotAsync(page, "15-sync-version-restore");
        var current = await fx.ApiAsync(HttpMethod.Get, "/api/syncs/restore_sync", Viewer);
        Assert.Equal(3, current["version"]!.GetValue<int>());
        Assert.Equal("0 6 * * *", current["schedule"]!["cron"]!.GetValue<string>());
        await page.Context.CloseAsync();

        var viewer = await fx.SignInAsync(Viewer, Password);
        await viewer.GotoAsync("/syncs/restore_sync/history");
        await StudioFixture.WaitInteractiveAsync(viewer);
        await Assertions.Expect(viewer.Locator("[data-testid=versions] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(viewer.Locator("[data-testid^=restore-]")).ToHaveCountAsync(0);
        await viewer.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_restores_a_destination_version_from_the_sync_list()
    {
        const string v1 = """{"name":"history_sheet","type":"file","description":"first","settings":{"path":"history-sheet.csv"}}""";
        await fx.ApiAsync(HttpMethod.Post, "/api/destinations", "admin", v1);
        await fx.ApiAsync(HttpMethod.Put, "/api/destinations/history_sheet", "admin", v1.Replace("first", "second", StringComparison.Ordinal));

        var page = await fx.SignInAsync("admin", ServerFixture<SqliteStoreProvider>.AdminPassword);
        await page.GotoAsync("/syncs");
        await page.ClickAsync("[data-testid=destination-history-history_sheet]");
        await page.WaitForURLAsync("**/destinations/history_sheet/history");
        await StudioFixture.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=restore-1]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("Restored version 1 as version 3");
        Assert.Equal("first", (await fx.ApiAsync(HttpMethod.Get, "/api/destinations/history_sheet", Viewer))["description"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_sees_pii_the_schema_diagram_and_the_audit_log()
    {
        var page = await fx.SignInAsync("admin", ServerFixture<SqliteStoreProvider>.AdminPassword);
        await page.GotoAsync("/audiences/high_value");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=sample]")).ToContainTextAsync("@example.com");
        await Assertions.Expect(page.Locator("[data-testid=sample] th.masked")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=size-chart]")).ToBeVisibleAsync();

        await page.GotoAsync("/schema?model=customers");
        await Assertions.Expect(page.Locator("[data-testid=schema-diagram]")).ToContainTextAsync("orders");
        await Assertions.Expect(page.Locator("[data-testid=columns] tr[data-column=country] .samples")).ToContainTextAsync("GB");
        await StudioFixture.ScreenshotAsync(page, "08-schema-browser");

        await fx.Api.SendAsync(HttpMethod.Get, "/api/audit", Marketer); // a denied attempt to find in the log
        await page.GotoAsync("/audit");
        await Assertions.Expect(page.Locator("[data-testid=audit]")).ToContainTextAsync("denied");
        await StudioFixture.ScreenshotAsync(page, "09-audit-log");
        await page.GotoAsync("/identity?q=idp_people:1");
        await StudioFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=identity-message]")).ToContainTextAsync("cohort identity run");
        await IdentitySeed.RunAsync(fx.Api.Server);
        await page.FillAsync("[data-testid=identity-query]", "idp_orders:o-1");
        await page.ClickAsync("[data-testid=identity-explain]");
        await Assertions.Expect(page.Locator("[data-testid=identity-links]")).ToContainTextAsync("adalovelace@gmail.com");
        await Assertions.Expect(page.Locator("[data-testid=identity-graph] g.record")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=identity-graph] line.edge")).ToHaveCountAsync(4);
        await StudioFixture.ScreenshotAsync(page, "13-identity-explorer");
        await page.Context.CloseAsync();

        var marketer = await fx.SignInAsync(Marketer, Password);
        await marketer.GotoAsync("/audit");
        await Assertions.Expect(marketer.Locator("[data-testid=audit-denied]")).ToBeVisibleAsync();
        await marketer.GotoAsync("/identity?q=idp_orders:o-1");
        await Assertions.Expect(marketer.Locator("[data-testid=identity-masked]")).ToBeVisibleAsync();
        await Assertions.Expect(marketer.Locator("[data-testid=identity-links]")).ToContainTextAsync("@g");
        await Assertions.Expect(marketer.Locator("[data-testid=identity-links]")).Not.ToContainTextAsync("adalovelace");
        await marketer.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_login_page()
    {
        var context = await fx.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fx.Url });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/audiences");
        await page.WaitForURLAsync("**/login**");
        await page.FillAsync("#username", Marketer);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        await StudioFixture.ScreenshotAsync(page, "00-login");
        await context.CloseAsync();
    }

    /// <summary>The size `cohort preview` reports for the same definition (its own warehouse, same seed).</summary>
    private static async Task<long> CliCountAsync(string yaml)
    {
        var dir = Paths.TempDirectory();
        try
        {
            var file = Path.Combine(dir, "draft.yaml");
            await File.WriteAllTextAsync(file, yaml);
            var writer = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            var code = await CohortCli.RunAsync(["preview", file, "-p", Paths.Shop, "--sample", "0", "--json"], console, new StringWriter());
            Assert.True(code == 0, writer.ToString());
            return JsonNode.Parse(writer.ToString())!["count"]!.GetValue<long>();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
