using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Platforms.Braze;
using Cohort.Destinations.Platforms.HubSpot;
using Cohort.Destinations.Platforms.Iterable;
using Cohort.Destinations.Platforms.Klaviyo;
using Cohort.Destinations.Platforms.Mailchimp;
using Cohort.Destinations.Platforms.Salesforce;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class BrazeCase : PlatformCase
{
    public BrazeCase() => Fake = new BrazeFake(Time);

    public BrazeFake Fake { get; }

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/users/track";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new BrazeDestination(http, Settings(wrongCredentials), Time);

    public BrazeSettings Settings(bool wrongCredentials = false) =>
        new(Server.BaseUrl, wrongCredentials ? "revoked" : BrazeFake.ApiKey) { AudienceAttribute = "in_audience_churn_risk" };
}

public sealed class KlaviyoCase : PlatformCase
{
    public KlaviyoFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/api/profile-bulk-import-jobs";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new KlaviyoDestination(http, Settings(wrongCredentials), Time);

    public KlaviyoSettings Settings(bool wrongCredentials = false) =>
        new(wrongCredentials ? "pk_revoked" : KlaviyoFake.ApiKey) { BaseUrl = Server.BaseUrl, ListId = KlaviyoFake.ListId };
}

public sealed class HubSpotCase : PlatformCase
{
    public HubSpotFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/batch/upsert";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new HubSpotDestination(http, Settings(wrongCredentials), Time);

    public HubSpotSettings Settings(bool wrongCredentials = false) =>
        new(wrongCredentials ? "pat-expired" : HubSpotFake.Token) { BaseUrl = Server.BaseUrl, ListId = HubSpotFake.ListId };
}

public sealed class SalesforceCase : PlatformCase
{
    public SalesforceFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override BatchOperation Operation => BatchOperation.Upsert;

    public override string DataPath => "/composite/sobjects/";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new SalesforceDestination(http, Settings(wrongCredentials), Time);

    public SalesforceSettings Settings(bool wrongCredentials = false) =>
        new(Server.BaseUrl, wrongCredentials ? "expired" : SalesforceFake.Token, "Contact", "Warehouse_Id__c") { MembershipField = "Audience_Churn_Risk__c" };

    public override OutboundRecord Record(int i) => WithFields(Rec("k" + i), ("Email", $"person{i}@example.com"), ("LastName", "Example"));

    public override OutboundRecord Unusable(string key) => WithFields(Rec(key), ("Id", "003000000000001"));
}

public sealed class IterableCase : PlatformCase
{
    public IterableFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/api/lists/subscribe";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new IterableDestination(http, Settings(wrongCredentials), Time);

    public IterableSettings Settings(bool wrongCredentials = false) =>
        new(wrongCredentials ? "bad-key" : IterableFake.ApiKey) { BaseUrl = Server.BaseUrl, ListId = IterableFake.ListId };
}

public sealed class MailchimpCase : PlatformCase
{
    public MailchimpFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/3.0/lists/";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new MailchimpDestination(http, Settings(wrongCredentials), Time);

    public MailchimpSettings Settings(bool wrongCredentials = false) =>
        new(wrongCredentials ? "ffff-us14" : MailchimpFake.ApiKey, MailchimpFake.ListId, "subscribed") { BaseUrl = Server.BaseUrl, SegmentId = MailchimpFake.SegmentId };
}
