using Cohort.Core.Audiences;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Server.Studio.Builder;
using Cohort.Server.Tests.Infrastructure;

namespace Cohort.Server.Tests.Studio;

/// <summary>Opening an audience in the builder and saving it unchanged must not change what it means.</summary>
public sealed class BuilderModelTests
{
    private static readonly LoadedProject Shop = ProjectLoader.Load(Paths.Shop);

    public static TheoryData<string> ShopAudiences() => [.. Shop.Audiences.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(ShopAudiences))]
    public void A_shop_audience_survives_the_builder_round_trip(string name) =>
        AssertRoundTrip(Shop.FindAudience(name)!);

    [Theory]
    [InlineData("""{"name":"a","model":"customers","condition":{"any":[{"property":"birthday","anniversary_within_next":"7 days"},{"property":"signup_at","between_ago":["7 days","30 days"]},{"property":"tags","contains_any":["vip","beta"]}]}}""")]
    [InlineData("""{"name":"b","model":"customers","condition":{"all":[{"event":["Page Viewed","Product Viewed"],"between_ago":["1 day","7 days"],"count":{"between":[2,5]}},{"not":{"property":"email_consent","is_true":true}}]}}""")]
    [InlineData("""{"name":"c","model":"customers","condition":{"relation":"orders","during":["2026-01-01","2026-03-31"],"aggregate":{"sum":"total","gte":100},"where":{"property":"status","equals":"completed"}}}""")]
    [InlineData("""{"name":"d","model":"customers","condition":{"event":"Order Completed","last_occurred":{"more_than_ago":"90 days"}},"limit":{"size":10,"order_by":[{"trait":"lifetime_value","direction":"desc"}]}}""")]
    [InlineData("""{"name":"e","model":"customers","condition":{"sequence":[{"event":"Product Viewed"},{"event":"Added to Cart","within":"1 hour"}],"within":"1 day","within_last":"7 days"},"splits":{"salt":"s1","groups":[{"name":"a","percent":50},{"name":"b","percent":40},{"name":"h","percent":10,"holdout":true}]}}""")]
    [InlineData("""{"name":"f","model":"customers","condition":{"all":[{"trait":"purchases_90d","between":[1,3]},{"property":"signup_at","day_of_week":["saturday","sunday"]},{"audience":"high_value","member":false}]}}""")]
    public void Every_condition_kind_survives_the_builder_round_trip(string json)
    {
        var result = ProjectLoader.LoadAudienceText(Shop, json, DocumentFormat.Json, "a.json");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        AssertRoundTrip(result.Audience!);
    }

    private static void AssertRoundTrip(AudienceDefinition audience)
    {
        var draft = BuilderModel.FromDefinition(audience);
        var document = BuilderModel.ToDocument(draft, Shop.Schema).ToJsonString();
        var again = ProjectLoader.LoadAudienceText(Shop, document, DocumentFormat.Json, "again.json");
        Assert.True(again.Succeeded, document + "\n" + string.Join("\n", again.Diagnostics));
        Assert.Equal(CanonicalJson.Of(audience with { Location = null }), CanonicalJson.Of(again.Audience! with { Location = null }));
    }
}
