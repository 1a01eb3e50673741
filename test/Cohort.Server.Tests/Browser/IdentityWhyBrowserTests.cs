using Cohort.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cohort.Server.Tests.Browser;

/// <summary>
/// The identity page's "Why together / apart?" form and the probabilistic matches in the explorer, in a real browser.
/// Its own server (and Chromium), because the identity seed runs once per server and the explorer test checks the
/// page before any run.
/// </summary>
public sealed class IdentityWhyBrowserTests(StudioFixture fx) : IClassFixture<StudioFixture>
{
    private static async Task AskAsync(IPage page, string a, string b)
    {
        await page.FillAsync("[data-testid=identity-why-a]", a);
        await page.FillAsync("[data-testid=identity-why-b]", b);
        await page.ClickAsync("[data-testid=identity-why-ask]");
    }

    [Fact]
    public async Task The_why_form_shows_the_path_that_joins_two_records_or_the_hops_set_aside()
    {
        await IdentitySeed.RunAsync(fx.Api.Server);
        var page = await fx.SignInAsync("admin", ServerFixture<SqliteStoreProvider>.AdminPassword);
        await page.GotoAsync("/identity");
        await StudioFixture.WaitInteractiveAsync(page);
        var verdict = page.Locator("[data-testid=identity-why-verdict]");
        var path = page.Locator("[data-testid=identity-why-path] li");

        await AskAsync(page, "idp_people:2", "idp_orders:o-1");
        await Assertions.Expect(verdict).ToContainTextAsync("Together");
        await Assertions.Expect(path).ToHaveCountAsync(2);
        await Assertions.Expect(path.Nth(1)).ToContainTextAsync("adalovelace@gmail.com");

        await AskAsync(page, "idp_people:3", "idp_orders:o-2");
        await Assertions.Expect(verdict).ToContainTextAsync("Apart");
        await Assertions.Expect(page.Locator("[data-testid=identity-why-path] li[data-status=blocked]")).ToHaveCountAsync(1);

        await AskAsync(page, "idp_people1", "idp_people:2");
        await Assertions.Expect(page.Locator("[data-testid=identity-why-message]")).ToContainTextAsync("source:key");
        await AskAsync(page, "idp_people:1", "idp_people:999");
        await Assertions.Expect(page.Locator("[data-testid=identity-why-message]")).ToContainTextAsync("idp_people:999");

        // A profile joined by a probabilistic match: the match is drawn as its own kind of edge, and listed.
        var (a, b) = await IdentitySeed.ScoredPairAsync(fx.Api.Server, "linked");
        await AskAsync(page, a, b);
        await Assertions.Expect(verdict).ToContainTextAsync("Together");
        await Assertions.Expect(path).ToContainTextAsync("match probability");
        await page.FillAsync("[data-testid=identity-query]", a);
        await page.ClickAsync("[data-testid=identity-explain]");
        await Assertions.Expect(page.Locator("[data-testid=identity-graph] g.match")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=identity-graph] line.match-edge")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=identity-matches]")).ToContainTextAsync("probabilistic match 0.9");

        // Apart because the pair scored below the threshold: the hop set aside says so.
        var (c, d) = await IdentitySeed.ScoredPairAsync(fx.Api.Server, "below threshold");
        await AskAsync(page, c, d);
        await Assertions.Expect(verdict).ToContainTextAsync("Apart");
        await Assertions.Expect(page.Locator("[data-testid=identity-why-path] li[data-status='below threshold']")).ToContainTextAsync("threshold");
        await StudioFixture.ScreenshotAsync(page, "14-identity-why");
        await page.Context.CloseAsync();

        var marketer = await fx.SignInAsync("marketer", ServerFixture<SqliteStoreProvider>.UserPassword);
        await marketer.GotoAsync("/identity");
        await StudioFixture.WaitInteractiveAsync(marketer);
        await AskAsync(marketer, "idp_people:2", "idp_orders:o-1");
        await Assertions.Expect(marketer.Locator("[data-testid=identity-why-path] li")).ToHaveCountAsync(2);
        await Assertions.Expect(marketer.Locator("[data-testid=identity-why-path]")).Not.ToContainTextAsync("adalovelace");
        await marketer.Context.CloseAsync();
    }
}
