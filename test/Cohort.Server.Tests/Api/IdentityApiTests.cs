using System.Text.Json.Nodes;
using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Identity;
using Cohort.Server.Projects;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Api;

/// <summary>
/// Identity explanations over the API: identity resolution runs (the real engine) over two small tables in the test
/// server's own warehouse, then the API explains the profiles it made.
/// </summary>
public sealed class IdentityApiTests(IdentityApiTests.Fixture fx) : IClassFixture<IdentityApiTests.Fixture>
{
    /// <summary>A server whose warehouse has had an identity run over <c>idp_people</c> and <c>idp_orders</c>.</summary>
    public sealed class Fixture : ServerFixture<SqliteStoreProvider>
    {
        internal const string Rules = """
            identifiers:
              email: {gmail: true, strip_plus: true, blocked: [test@test.com]}
              phone: {default_region: US}
            priority: [email, phone]
            sources:
              idp_people:
                table: idp_people
                key: id
                columns: {email: email, phone: phone}
              idp_orders:
                table: idp_orders
                key: order_id
                columns: {buyer_email: email}
            """;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var warehouse = await Server.Services.GetRequiredService<ProjectState>().WarehouseAsync();
            await warehouse.ExecuteScriptAsync("""
                CREATE TABLE idp_people (id BIGINT, email VARCHAR, phone VARCHAR);
                CREATE TABLE idp_orders (order_id VARCHAR, buyer_email VARCHAR);
                """);
            await warehouse.BulkLoadAsync("idp_people", ["id", "email", "phone"], [
                [1L, "ada.lovelace@gmail.com", "(415) 555-0123"],
                [2L, null, "+1 415 555 0123"],
                [3L, "test@test.com", null],
                [4L, "grace@example.com", null],
            ]);
            await warehouse.BulkLoadAsync("idp_orders", ["order_id", "buyer_email"], [
                ["o-1", "AdaLovelace+shop@googlemail.com"],
                ["o-2", "test@test.com"],
            ]);
            var bag = new DiagnosticBag();
            var rules = IdentityReader.ReadText(Rules, null, bag);
            Assert.Empty(bag.Items);
            await new IdentityEngine(warehouse, rules!, TimeProvider.System).RunAsync();
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
