using System.Text.Json.Nodes;
using Cohort.Server.Tests.Infrastructure;

namespace Cohort.Server.Tests.Api;

/// <summary>
/// <c>GET /api/identity/why</c> and the probabilistic matches of an explanation, over <see cref="IdentitySeed"/>:
/// shared values, a blocked value, and pairs scored by probabilistic matching (linked and below the threshold).
/// </summary>
public sealed class IdentityWhyApiTests(IdentityApiTests.Fixture fx) : IClassFixture<IdentityApiTests.Fixture>
{
    private Task<JsonNode> WhyAsync(string a, string b, string user = "admin") =>
        fx.GetJsonAsync($"/api/identity/why?a={Uri.EscapeDataString(a)}&b={Uri.EscapeDataString(b)}", user);

    private static string Ref(JsonNode? r) => $"{r!["source"]!.GetValue<string>()}:{r["key"]!.GetValue<string>()}";

    private static JsonArray Path(JsonNode why) => why["path"]!.AsArray();

    private Task<(string A, string B)> PairAsync(string status) => IdentitySeed.ScoredPairAsync(fx.Server, status);

    [Fact]
    public async Task Records_joined_by_shared_values_are_together_with_the_shortest_path()
    {
        var why = await WhyAsync("idp_people:2", "idp_orders:o-1");
        Assert.True(why["together"]!.GetValue<bool>());
        Assert.Equal(why["cohortA"]!.GetValue<string>(), why["cohortB"]!.GetValue<string>());
        Assert.False(why["masked"]!.GetValue<bool>());
        var path = Path(why);
        Assert.Equal(2, path.Count); // 2 -phone-> 1 -email-> o-1
        Assert.Equal(("idp_people:2", "phone", "+14155550123", "idp_people:1"),
            (Ref(path[0]!["from"]), path[0]!["identifier"]!.GetValue<string>(), path[0]!["value"]!.GetValue<string>(), Ref(path[0]!["to"])));
        Assert.Equal(("email", "adalovelace@gmail.com", "idp_orders:o-1", "buyer_email"),
            (path[1]!["identifier"]!.GetValue<string>(), path[1]!["value"]!.GetValue<string>(), Ref(path[1]!["to"]), path[1]!["toColumn"]!.GetValue<string>()));
        Assert.All(path, s => Assert.Equal("linked", s!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Records_kept_apart_by_a_blocked_value_show_the_hop_set_aside_and_unconnected_ones_no_path()
    {
        var why = await WhyAsync("idp_people:3", "idp_orders:o-2");
        Assert.False(why["together"]!.GetValue<bool>());
        Assert.NotEqual(why["cohortA"]!.GetValue<string>(), why["cohortB"]!.GetValue<string>());
        var hop = Assert.Single(Path(why))!;
        Assert.Equal(("email", "blocked"), (hop["identifier"]!.GetValue<string>(), hop["status"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(hop["reason"]?.GetValue<string>()));

        var none = await WhyAsync("idp_people:4", "idp_people:1");
        Assert.False(none["together"]!.GetValue<bool>());
        Assert.Null(none["path"]);
    }

    [Fact]
    public async Task A_probabilistic_match_is_a_hop_and_is_listed_in_the_explanation_without_pii()
    {
        var (a, b) = await PairAsync("linked");
        var why = await WhyAsync(a, b, "marketer");
        Assert.True(why["together"]!.GetValue<bool>());
        var hop = Assert.Single(Path(why))!;
        Assert.Equal("probabilistic", hop["identifier"]!.GetValue<string>());
        Assert.StartsWith($"{a} ~ {b}: match probability ", hop["value"]!.GetValue<string>(), StringComparison.Ordinal); // not masked: no PII

        var explanation = await fx.GetJsonAsync($"/api/identity/profiles/{why["cohortA"]!.GetValue<string>()}/explanation", "marketer");
        var match = explanation["matches"]!.AsArray().Single(m => Ref(m!["a"]) == a && Ref(m["b"]) == b)!;
        Assert.True(match["probability"]!.GetValue<double>() >= 0.99);
        Assert.True(match["weight"]!.GetValue<double>() > 0);
        Assert.Equal("linked", match["status"]!.GetValue<string>());
        Assert.Equal(["first_name", "last_name", "birth_date", "zip"], match["fields"]!.AsArray().Select(f => f!["field"]!.GetValue<string>()));
        Assert.All(match["fields"]!.AsArray(), f => Assert.False(string.IsNullOrEmpty(f!["level"]!.GetValue<string>())));
        Assert.NotNull(match["termFrequencyAdjustment"]);
        // Levels and weights only: neither the names, dates and zip codes compared nor the e-mails are in the response.
        var text = explanation.ToJsonString();
        Assert.DoesNotContain("mail.example", text, StringComparison.Ordinal);
        Assert.All(match["fields"]!.AsArray(), f => Assert.Equal(["field", "level", "weight"], f!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task A_pair_below_the_threshold_keeps_its_records_apart_and_says_so()
    {
        var (a, b) = await PairAsync("below threshold");
        var why = await WhyAsync(a, b);
        Assert.False(why["together"]!.GetValue<bool>());
        var hop = Path(why).Single(s => s!["identifier"]!.GetValue<string>() == "probabilistic")!;
        Assert.Equal("below threshold", hop["status"]!.GetValue<string>());
        Assert.Contains("threshold", hop["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identifier_values_on_the_path_are_masked_without_pii_access()
    {
        var why = await WhyAsync("idp_people:2", "idp_orders:o-1", "marketer");
        Assert.True(why["masked"]!.GetValue<bool>());
        var text = why.ToJsonString();
        Assert.DoesNotContain("adalovelace", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4155550123", text, StringComparison.Ordinal);
        Assert.Equal(Core.Privacy.PiiMask.Mask("adalovelace@gmail.com"), Path(why)[1]!["value"]!.GetValue<string>());
        Assert.Equal(2, Path(why).Count); // the records and the path are not PII
    }

    [Fact]
    public async Task Malformed_and_unknown_records_are_400_and_404_and_anonymous_is_401()
    {
        var malformed = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/why?a=idp_people1&b=idp_people:2", "viewer"), 400);
        Assert.Contains("source:key", malformed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/why?a=idp_people:1", "viewer"), 400);
        var unknown = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/why?a=idp_people:1&b=idp_people:999", "viewer"), 404);
        Assert.Contains("idp_people:999", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/why?a=idp_people:1&b=idp_people:2", null), 401);
    }
}
