namespace Cohort.Destinations.Tests.Platforms;

/// <summary>Every platform case by name (the shared tests are a theory over these).</summary>
public static class PlatformCases
{
    private static readonly Dictionary<string, Func<PlatformCase>> Factories = new()
    {
        ["google-ads"] = () => new GoogleAdsCase(),
        ["google-data-manager"] = () => new DataManagerCase(),
        ["meta"] = () => new MetaCase(),
        ["the-trade-desk"] = () => new TradeDeskCase(),
        ["linkedin"] = () => new LinkedInCase(),
        ["tiktok"] = () => new TikTokCase(),
        ["braze"] = () => new BrazeCase(),
        ["klaviyo"] = () => new KlaviyoCase(),
        ["hubspot"] = () => new HubSpotCase(),
        ["salesforce"] = () => new SalesforceCase(),
        ["iterable"] = () => new IterableCase(),
        ["mailchimp"] = () => new MailchimpCase(),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    public static PlatformCase Create(string name) => Factories[name]();
}
