using System.Text.Json.Nodes;
using Cohort.Server.Tests.Infrastructure;

namespace Cohort.Server.Tests.Api;

/// <summary>
/// Identity explanations over the API: identity resolution runs (the real engine) over two small tables in the test
/// server's own warehouse, then the API explains the profiles it made.
/// </summary>
public sealed class IdentityApiTests(IdentityApiTests.Fixture fx) : IClassFixture<IdentityApiTests.Fixture>
{
    /// <summary>A server whose warehouse has had an identity run (<see cref="IdentitySeed"/>).</summary>
    public sealed class Fixture : ServerFixture<SqliteStoreProvider>
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await IdentitySeed.RunAsync(Server);
        }
    }

    private async Task<string> CohortOfAsync(string source, string key)
    {
        var found = await fx.GetJsonAsync($"/api/identity/records/{source}/{key}", "viewer");
        Assert.Equal(source, found["source"]!.GetValue<string>());
        Assert.Equal(key, found["key"]!.GetValue<string>());
        return found["cohortId"]!.GetValue<string>();
    }

    private static List<string> Records(JsonNode explanation) =>
        [.. explanation["records"]!.AsArray().Select(r => $"{r!["source"]!.GetValue<string>()}:{r["key"]!.GetValue<string>()}")];

    [Fact]
    public async Task A_profile_is_explained_by_its_records_and_the_values_that_joined_them()
    {
        var cohort = await CohortOfAsync("idp_people", "1");
        Assert.Equal(cohort, await CohortOfAsync("idp_orders", "o-1"));
        Assert.Equal(cohort, await CohortOfAsync("idp_people", "2"));
        Assert.NotEqual(cohort, await CohortOfAsync("idp_people", "4"));

        var admin = await fx.GetJsonAsync($"/api/identity/profiles/{cohort}/explanation", "admin");
        Assert.Equal(cohort, admin["cohortId"]!.GetValue<string>());
        Assert.False(admin["masked"]!.GetValue<bool>());
        Assert.Equal(["idp_orders:o-1", "idp_people:1", "idp_people:2"], Records(admin).Order(StringComparer.Ordinal));
        var links = admin["links"]!.AsArray();
        var email = links.Single(l => l!["identifier"]!.GetValue<string>() == "email")!;
        Assert.Equal("adalovelace@gmail.com", email["value"]!.GetValue<string>());
        Assert.Contains("email", email["rule"]!.GetValue<string>(), StringComparison.Ordinal);
        var joined = email["records"]!.AsArray().Select(r => $"{r!["source"]!.GetValue<string>()}:{r["key"]!.GetValue<string>()}:{r["column"]!.GetValue<string>()}").Order(StringComparer.Ordinal);
        Assert.Equal(["idp_orders:o-1:buyer_email", "idp_people:1:email"], joined);
        var phone = links.Single(l => l!["identifier"]!.GetValue<string>() == "phone")!;
        Assert.Equal("+14155550123", phone["value"]!.GetValue<string>());
        Assert.Contains(admin["occurrences"]!.AsArray(), o => o!["status"]!.GetValue<string>() == "linked" && o["column"]!.GetValue<string>() == "buyer_email");
    }

    [Fact]
    public async Task Identifier_values_are_masked_without_pii_access()
    {
        var cohort = await CohortOfAsync("idp_people", "1");
        foreach (var user in new[] { "viewer", "marketer" })
        {
            var masked = await fx.GetJsonAsync($"/api/identity/profiles/{cohort}/explanation", user);
            Assert.True(masked["masked"]!.GetValue<bool>());
            var text = masked.ToJsonString();
            Assert.DoesNotContain("adalovelace", text, StringComparison.Ordinal);
            Assert.DoesNotContain("4155550123", text, StringComparison.Ordinal);
            var email = masked["links"]!.AsArray().Single(l => l!["identifier"]!.GetValue<string>() == "email")!;
            Assert.Equal(Core.Privacy.PiiMask.Mask("adalovelace@gmail.com"), email["value"]!.GetValue<string>());
            Assert.Equal(3, Records(masked).Count); // the records themselves are not PII
        }
        var engineer = await fx.GetJsonAsync($"/api/identity/profiles/{cohort}/explanation", "engineer");
        Assert.Contains("adalovelace@gmail.com", engineer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocked_values_are_listed_with_their_reason_and_keep_records_apart()
    {
        var cohort = await CohortOfAsync("idp_people", "3");
        Assert.NotEqual(cohort, await CohortOfAsync("idp_orders", "o-2"));
        var explanation = await fx.GetJsonAsync($"/api/identity/profiles/{cohort}/explanation", "admin");
        Assert.Empty(explanation["links"]!.AsArray());
        var blocked = explanation["occurrences"]!.AsArray().Single(o => o!["identifier"]!.GetValue<string>() == "email")!;
        Assert.Equal("blocked", blocked["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(blocked["reason"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Unknown_profiles_and_records_are_404()
    {
        var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/profiles/no-such-cohort/explanation", "viewer"), 404);
        Assert.Contains("no-such-cohort", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/records/idp_people/999", "viewer"), 404);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/profiles/x/explanation", null), 401);
    }
}
