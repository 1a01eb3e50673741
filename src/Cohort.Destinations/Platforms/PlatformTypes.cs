using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.Braze;
using Cohort.Destinations.Platforms.DataManager;
using Cohort.Destinations.Platforms.Google;
using Cohort.Destinations.Platforms.HubSpot;
using Cohort.Destinations.Platforms.Iterable;
using Cohort.Destinations.Platforms.Klaviyo;
using Cohort.Destinations.Platforms.LinkedIn;
using Cohort.Destinations.Platforms.Mailchimp;
using Cohort.Destinations.Platforms.Meta;
using Cohort.Destinations.Platforms.Salesforce;
using Cohort.Destinations.Platforms.TikTok;
using Cohort.Destinations.Platforms.TradeDesk;
using static Cohort.Destinations.Abstractions.BatchOperation;

namespace Cohort.Destinations.Platforms;

/// <summary>
/// The catalog entries of the platform connectors: for each, the settings a destination file takes (snake_case;
/// credentials are secrets, accepted only as <c>{env: ...}</c> or <c>{secret: ...}</c>), the operations and identifiers
/// a definition offers (some depend on settings, e.g. a list id), the identifier profile for match-rate reports, and a
/// factory that maps resolved settings onto the connector's settings record. Every type takes <c>base_url</c> (default:
/// the platform's real API host; tests point it at a loopback fake), <c>timeout_seconds</c> and
/// <c>include_error_detail</c>. The table of docs/destinations.md lists them.
/// </summary>
public static class PlatformTypes
{
    /// <summary>Every platform connector's type, sharing the catalog's HTTP handler.</summary>
    public static IEnumerable<DestinationType> All(DestinationServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        yield return GoogleAds(services);
        yield return DataManager(services);
        yield return Meta(services);
        yield return TradeDesk(services);
        yield return LinkedIn(services);
        yield return TikTok(services);
        yield return Braze(services);
        yield return Klaviyo(services);
        yield return HubSpot(services);
        yield return Salesforce(services);
        yield return Iterable(services);
        yield return Mailchimp(services);
    }

    private static readonly ImmutableArray<string> Consents = ["granted", "denied", "unspecified"];

    // ---- Google Ads Customer Match (§1) ----

    public static DestinationType GoogleAds(DestinationServices services) => new(
        GoogleAdsCustomerMatchDestination.TypeName,
        "Google Ads Customer Match list membership through offline user data jobs (hashed identifiers).",
        [
            SettingSpec.Text("customer_id", "the Google Ads customer id that owns the list (digits; dashes ignored)", required: true),
            SettingSpec.Text("user_list_id", "the Customer Match user list id", required: true),
            SettingSpec.Secret("developer_token", "the Google Ads API developer token"),
            SettingSpec.Secret("access_token", "an OAuth 2.0 access token with the adwords scope"),
            SettingSpec.Choice("ad_user_data_consent", "the EU consent for ad user data declared on add jobs", Consents, required: true),
            SettingSpec.Choice("ad_personalization_consent", "the EU consent for ad personalisation declared on add jobs", Consents, required: true),
            SettingSpec.Text("login_customer_id", "the manager account to act through (login-customer-id)"),
            SettingSpec.Text("api_version", "the Google Ads API version in the path", @default: "v24"),
            SettingSpec.Boolean("remove_gmail_dots", "remove dots before @gmail.com / @googlemail.com (\"not required\" for Google Ads)", false),
            PhoneRegion,
            SettingSpec.Integer("max_identifiers_per_request", "identifiers per addOperations request (records = this / 5)", 5, 100_000, 10_000),
            .. Common("https://googleads.googleapis.com/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) => new GoogleAdsCustomerMatchDestination(http,
            new GoogleAdsSettings(s.RequiredText("customer_id"), s.RequiredText("user_list_id"), s.RequiredText("developer_token"), s.RequiredText("access_token"),
                new GoogleConsent(Consent(s.Text("ad_user_data_consent")), Consent(s.Text("ad_personalization_consent"))))
            {
                BaseUrl = Url(s, "base_url", "https://googleads.googleapis.com/"),
                ApiVersion = s.Text("api_version") ?? "v24",
                LoginCustomerId = s.Text("login_customer_id"),
                RemoveGmailDots = s.Boolean("remove_gmail_dots", false),
                DefaultPhoneRegion = s.Text("default_phone_region") ?? "US",
                MaxIdentifiersPerRequest = s.Integer("max_identifiers_per_request", 10_000),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time)))
    {
        Limits = new DestinationLimits(2_000, CommitOnComplete: true),
        Identifiers = PlatformProfiles.GoogleAds().Types,
        ProfileFor = d => PlatformProfiles.GoogleAds(Flag(d, "remove_gmail_dots", false), Literal(d, "default_phone_region") ?? "US"),
        Validate = ValidateUrls("base_url"),
    };

    // ---- Google Data Manager (§1b) ----

    public static DestinationType DataManager(DestinationServices services) => new(
        DataManagerDestination.TypeName,
        "Google Data Manager audience members (the Customer Match successor): ingest and remove, hashed identifiers.",
        [
            SettingSpec.Secret("access_token", "an OAuth 2.0 access token with the datamanager scope"),
            SettingSpec.Text("account_id", "the operating account id", required: true),
            SettingSpec.Text("product_destination_id", "the destination (user list) id in that account", required: true),
            SettingSpec.Text("account_type", "the operating account type ([not verified] enum value)", @default: "GOOGLE_ADS"),
            SettingSpec.Text("login_account_id", "the account to log in as, when it differs (a manager)"),
            SettingSpec.Text("login_account_type", "the login account's type (default: account_type)"),
            SettingSpec.Choice("encoding", "how hashes are written", ["hex", "base64"], "hex"),
            SettingSpec.Boolean("remove_gmail_dots", "remove dots before @gmail.com / @googlemail.com (required by the formatting guide)", true),
            PhoneRegion,
            SettingSpec.Choice("ad_user_data_consent", "the consent sent with ingest requests (not sent when unset)", Consents),
            SettingSpec.Choice("ad_personalization_consent", "the consent sent with ingest requests (not sent when unset)", Consents),
            SettingSpec.Boolean("accept_customer_match_terms", "send termsOfService: ACCEPTED with ingest requests", false),
            SettingSpec.Choice("member_shape", "where identifiers go: userData or compositeData.userData", ["user_data", "composite_data"], "user_data"),
            SettingSpec.Integer("batch_size", "audience members per request", 1, 10_000, 10_000),
            .. Common("https://datamanager.googleapis.com/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) =>
        {
            var encoding = s.Text("encoding") == "base64" ? HashEncoding.Sha256Base64 : HashEncoding.Sha256Hex;
            var target = new DataManagerDestinationRef(s.Text("account_type") ?? "GOOGLE_ADS", s.RequiredText("account_id"), s.RequiredText("product_destination_id"))
            {
                LoginAccountId = s.Text("login_account_id"),
                LoginAccountType = s.Text("login_account_type"),
            };
            GoogleConsent? consent = s.Has("ad_user_data_consent") || s.Has("ad_personalization_consent")
                ? new GoogleConsent(Consent(s.Text("ad_user_data_consent")), Consent(s.Text("ad_personalization_consent")))
                : null;
            return new DataManagerDestination(http, new DataManagerSettings(s.RequiredText("access_token"), [target])
            {
                BaseUrl = Url(s, "base_url", "https://datamanager.googleapis.com/"),
                Encoding = encoding,
                RemoveGmailDots = s.Boolean("remove_gmail_dots", true),
                DefaultPhoneRegion = s.Text("default_phone_region") ?? "US",
                Consent = consent,
                AcceptCustomerMatchTerms = s.Boolean("accept_customer_match_terms", false),
                MemberShape = s.Text("member_shape") == "composite_data" ? DataManagerMemberShape.CompositeData : DataManagerMemberShape.UserData,
                MaxMembersPerRequest = s.Integer("batch_size", 10_000),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time);
        }))
    {
        Limits = new DestinationLimits(10_000, RequestsPerSecond: 5, MaxConcurrentRequests: 10),
        Identifiers = PlatformProfiles.DataManager().Types,
        ProfileFor = d => PlatformProfiles.DataManager(Literal(d, "encoding") == "base64" ? HashEncoding.Sha256Base64 : HashEncoding.Sha256Hex,
            Flag(d, "remove_gmail_dots", true), Literal(d, "default_phone_region") ?? "US"),
        Validate = ValidateUrls("base_url"),
    };

    // ---- Meta custom audience (§2) ----

    public static DestinationType Meta(DestinationServices services) => new(
        MetaCustomAudienceDestination.TypeName,
        "Meta (Facebook/Instagram) customer-file custom audience: add and remove users, hashed identifiers.",
        [
            SettingSpec.Text("audience_id", "the custom audience id", required: true),
            SettingSpec.Secret("access_token", "a system-user or user token with ads_management"),
            SettingSpec.Text("api_version", "the Graph API version in the path", @default: "v25.0"),
            PhoneRegion,
            SettingSpec.Choice("date_order", "how dates of birth like 2/3/1990 are read", ["month_first", "day_first"], "month_first"),
            SettingSpec.Integer("batch_size", "users per request", 1, 10_000, 10_000),
            .. Common("https://graph.facebook.com/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) => new MetaCustomAudienceDestination(http, new MetaSettings(s.RequiredText("audience_id"), s.RequiredText("access_token"))
        {
            BaseUrl = Url(s, "base_url", "https://graph.facebook.com/"),
            ApiVersion = s.Text("api_version") ?? "v25.0",
            DefaultPhoneRegion = s.Text("default_phone_region") ?? "US",
            DateOrder = s.Text("date_order") == "day_first" ? DateOrder.DayFirst : DateOrder.MonthFirst,
            MaxRecordsPerRequest = s.Integer("batch_size", 10_000),
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(10_000),
        Identifiers = PlatformProfiles.Meta().Types,
        ProfileFor = d => PlatformProfiles.Meta(Literal(d, "default_phone_region") ?? "US", Literal(d, "date_order") == "day_first" ? DateOrder.DayFirst : DateOrder.MonthFirst),
        Validate = ValidateUrls("base_url"),
    };

    // ---- The Trade Desk first-party data (§3.1) ----

    public static DestinationType TradeDesk(DestinationServices services) => new(
        TradeDeskDestination.TypeName,
        "The Trade Desk first-party data segment: raw ids (mobile advertising id, TDID/UID2/RampID/...) posted with a TTL.",
        [
            SettingSpec.Text("advertiser_id", "the advertiser id", required: true),
            SettingSpec.Secret("auth_token", "the TTD-Auth token"),
            SettingSpec.Text("segment_name", "the first-party segment the ids join", required: true),
            SettingSpec.Text("data_provider_id", "the data provider id, when posting as one"),
            SettingSpec.Integer("ttl_minutes", "membership TTL sent with each id (default: The Trade Desk's)", 1, 60L * 24 * 365 * 10),
            SettingSpec.Choice("external_id_kind", "the id field the external_id identifier goes to", [.. TradeDeskDestination.IdKinds.Order(StringComparer.Ordinal)], "TDID"),
            SettingSpec.Choice("mobile_id_kind", "the id field mobile advertising ids go to", [.. TradeDeskDestination.IdKinds.Order(StringComparer.Ordinal)], "DAID"),
            SettingSpec.Choice("removal", "how exits are expressed; per-id removal is [not found]", ["not_supported", "expire_with_short_ttl"], "not_supported"),
            SettingSpec.Integer("removal_ttl_minutes", "the TTL a removal re-posts the id with", 1, 1_440, 1),
            SettingSpec.Integer("batch_size", "records per request ([not found]; each record is one or two items)", 1, 10_000, 1_000),
            SettingSpec.Integer("item_number_base", "whether FailedLines[].ItemNumber counts from 0 or 1 ([not found])", 0, 1, 1),
            .. Common("https://usw-data.adsrvr.org/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) => new TradeDeskDestination(http,
            new TradeDeskSettings(s.RequiredText("advertiser_id"), s.RequiredText("auth_token"), s.RequiredText("segment_name"))
            {
                BaseUrl = Url(s, "base_url", "https://usw-data.adsrvr.org/"),
                DataProviderId = s.Text("data_provider_id"),
                TtlInMinutes = s.Has("ttl_minutes") ? s.Integer("ttl_minutes", 0) : null,
                ExternalIdKind = s.Text("external_id_kind") ?? "TDID",
                MobileIdKind = s.Text("mobile_id_kind") ?? "DAID",
                Removal = s.Text("removal") == "expire_with_short_ttl" ? TradeDeskRemoval.ExpireWithShortTtl : TradeDeskRemoval.NotSupported,
                RemovalTtlMinutes = s.Integer("removal_ttl_minutes", 1),
                MaxRecordsPerRequest = s.Integer("batch_size", 1_000),
                ItemNumberBase = s.Integer("item_number_base", 1),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time)))
    {
        Limits = new DestinationLimits(1_000),
        Identifiers = PlatformProfiles.TradeDeskFirstParty().Types,
        OperationsFor = d => Literal(d, "removal") == "expire_with_short_ttl" ? [Add, Remove] : [Add],
        OperationHint = op => op == Remove ? "set removal: expire_with_short_ttl (The Trade Desk documents no per-id removal)" : null,
        ProfileFor = _ => PlatformProfiles.TradeDeskFirstParty(),
        Validate = ValidateUrls("base_url"),
    };

    // ---- LinkedIn matched audiences (§4) ----

    public static DestinationType LinkedIn(DestinationServices services) => new(
        LinkedInDestination.TypeName,
        "LinkedIn DMP segment users (matched audiences): add and remove, SHA-256 email and mobile ids.",
        [
            SettingSpec.Text("segment_id", "the DMP segment id", required: true),
            SettingSpec.Secret("access_token", "a member token with rw_dmp_segments"),
            SettingSpec.Text("version", "the LinkedIn-Version header (YYYYMM)", @default: "202505"),
            SettingSpec.Choice("mobile_id_type", "the idType of mobile advertising ids (not sent when unset)", ["GOOGLE_AID", "APPLE_IDFA"]),
            SettingSpec.Integer("batch_size", "elements per BATCH_CREATE ([not found])", 1, 5_000, 1_000),
            SettingSpec.Number("requests_per_second", "request rate (600 per minute per member)", "10"),
            .. Common("https://api.linkedin.com/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) => new LinkedInDestination(http, new LinkedInSettings(s.RequiredText("segment_id"), s.RequiredText("access_token"))
        {
            BaseUrl = Url(s, "base_url", "https://api.linkedin.com/"),
            Version = s.Text("version") ?? "202505",
            MobileIdType = s.Text("mobile_id_type"),
            MaxElementsPerRequest = s.Integer("batch_size", 1_000),
            RequestsPerSecond = s.Number("requests_per_second") ?? 10,
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(1_000, RequestsPerSecond: 10),
        Identifiers = PlatformProfiles.LinkedIn().Types,
        IdentifiersFor = d => d.Find("mobile_id_type") is null ? PlatformProfiles.LinkedIn().Without(IdentifierType.MobileAdvertisingId).Types : PlatformProfiles.LinkedIn().Types,
        ProfileFor = d => d.Find("mobile_id_type") is null ? PlatformProfiles.LinkedIn().Without(IdentifierType.MobileAdvertisingId) : PlatformProfiles.LinkedIn(),
        Validate = ValidateUrls("base_url"),
    };

    // ---- TikTok audiences (§5) ----

    public static DestinationType TikTok(DestinationServices services) => new(
        TikTokDestination.TypeName,
        "TikTok custom audience through the segment mapping API: add and delete, SHA-256 email, phone and mobile ids.",
        [
            SettingSpec.Text("advertiser_id", "the advertiser id", required: true),
            SettingSpec.Text("audience_id", "the audience (segment) id", required: true),
            SettingSpec.Secret("access_token", "the Access-Token"),
            SettingSpec.Boolean("phone_with_plus", "hash phones with the leading + (the reference contradicts itself)", false),
            PhoneRegion,
            SettingSpec.Text("mobile_id_schema", "the id_schema of mobile advertising ids, e.g. IDFA_SHA256 (not sent when unset)"),
            SettingSpec.Integer("batch_size", "users per request ([not found])", 1, 10_000, 1_000),
            .. Common("https://business-api.tiktok.com/"),
        ],
        [Add, Remove],
        Http(services, (http, s, context) => new TikTokDestination(http,
            new TikTokSettings(s.RequiredText("advertiser_id"), s.RequiredText("audience_id"), s.RequiredText("access_token"))
            {
                BaseUrl = Url(s, "base_url", "https://business-api.tiktok.com/"),
                PhoneWithPlus = s.Boolean("phone_with_plus", false),
                DefaultPhoneRegion = s.Text("default_phone_region") ?? "US",
                MobileIdSchema = s.Text("mobile_id_schema"),
                MaxUsersPerRequest = s.Integer("batch_size", 1_000),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time)))
    {
        Limits = new DestinationLimits(1_000),
        Identifiers = PlatformProfiles.TikTok().Types,
        IdentifiersFor = d => TikTokProfile(d).Types,
        ProfileFor = TikTokProfile,
        Validate = ValidateUrls("base_url"),
    };

    private static IdentifierProfile TikTokProfile(DestinationDefinition d)
    {
        var profile = PlatformProfiles.TikTok(Flag(d, "phone_with_plus", false), Literal(d, "default_phone_region") ?? "US");
        return d.Find("mobile_id_schema") is null ? profile.Without(IdentifierType.MobileAdvertisingId) : profile;
    }

    // ---- Braze (§6) ----

    private static readonly ImmutableArray<string> BrazeKeys = ["external_id", "email", "phone"];

    public static DestinationType Braze(DestinationServices services) => new(
        BrazeDestination.TypeName,
        "Braze users/track: upsert or update user attributes; with audience_attribute, membership as a boolean attribute.",
        [
            SettingSpec.Text("base_url", "the instance's REST endpoint, e.g. https://rest.iad-01.braze.com/", required: true),
            SettingSpec.Secret("api_key", "a REST API key with users.track"),
            SettingSpec.Text("audience_attribute", "the boolean custom attribute marking membership (add sets true, remove false)"),
            SettingSpec.Text("identify_by", "the identifiers that name a user, first present wins (comma-separated)", @default: "external_id,email,phone"),
            SettingSpec.Integer("batch_size", "attribute objects per request (75 legacy, 50 on MAU contracts)", 1, 75, 75),
            Timeout,
            ErrorDetail,
        ],
        [Add, Remove, Upsert, BatchOperation.Update],
        Http(services, (http, s, context) => new BrazeDestination(http, new BrazeSettings(Url(s, "base_url", null), s.RequiredText("api_key"))
        {
            AudienceAttribute = s.Text("audience_attribute"),
            IdentifyBy = BrazeIdentifyBy(s.Text("identify_by")),
            MaxObjectsPerRequest = s.Integer("batch_size", 75),
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(75, RequestsPerSecond: 1_000, MaxConcurrentRequests: 4),
        Identifiers = [IdentifierType.ExternalId, IdentifierType.Email, IdentifierType.Phone],
        OperationsFor = d => d.Find("audience_attribute") is null ? [Upsert, BatchOperation.Update] : [Add, Remove, Upsert, BatchOperation.Update],
        OperationHint = op => op is Add or Remove ? "set audience_attribute (a boolean custom attribute) to sync membership" : null,
        IdentifiersFor = d => BrazeIdentifyBy(Literal(d, "identify_by")),
        ProfileFor = _ => PlatformProfiles.Crm("braze"),
        Validate = (definition, diagnostics) =>
        {
            ValidateUrls("base_url")(definition, diagnostics);
            if (definition.Find("identify_by") is { Value: SettingValue.Literal literal } setting)
            {
                foreach (var part in Parts(literal.Text).Where(p => !BrazeKeys.Contains(p)))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, PlatformTypeMessages.UnknownListItem("identify_by", part, BrazeKeys),
                        literal.Location ?? setting.Location, NameSuggester.Nearest(part, BrazeKeys));
                }
            }
        },
    };

    private static ImmutableArray<IdentifierType> BrazeIdentifyBy(string? text) =>
        text is null
            ? [IdentifierType.ExternalId, IdentifierType.Email, IdentifierType.Phone]
            : [.. Parts(text).Select(p => p switch { "external_id" => IdentifierType.ExternalId, "email" => IdentifierType.Email, "phone" => IdentifierType.Phone, _ => (IdentifierType?)null })
                .OfType<IdentifierType>().Distinct()];

    // ---- Klaviyo (§7) ----

    public static DestinationType Klaviyo(DestinationServices services) => new(
        KlaviyoDestination.TypeName,
        "Klaviyo profiles (bulk import jobs); with list_id, list membership.",
        [
            SettingSpec.Secret("api_key", "a private API key with profiles:write and lists:write"),
            SettingSpec.Text("list_id", "the list audience members join (add/remove offered only with it)"),
            SettingSpec.Text("revision", "the revision header (API version date)", @default: "2026-04-15"),
            PhoneRegion,
            SettingSpec.Integer("batch_size", "profiles per bulk import job", 1, 10_000, 10_000),
            .. Common("https://a.klaviyo.com/"),
        ],
        [Add, Remove, Upsert],
        Http(services, (http, s, context) => new KlaviyoDestination(http, new KlaviyoSettings(s.RequiredText("api_key"))
        {
            BaseUrl = Url(s, "base_url", "https://a.klaviyo.com/"),
            Revision = s.Text("revision") ?? "2026-04-15",
            ListId = s.Text("list_id"),
            MaxProfilesPerRequest = s.Integer("batch_size", 10_000),
            DefaultPhoneRegion = s.Text("default_phone_region") ?? "US",
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(10_000, KlaviyoDestination.MaxBodyBytes, RequestsPerSecond: 2.5),
        Identifiers = PlatformProfiles.Crm("klaviyo").Types,
        OperationsFor = d => d.Find("list_id") is null ? [Upsert] : [Add, Remove, Upsert],
        OperationHint = ListHint,
        ProfileFor = d => PlatformProfiles.Crm("klaviyo", Literal(d, "default_phone_region") ?? "US"),
        Validate = ValidateUrls("base_url"),
    };

    // ---- HubSpot (§8) ----

    private static readonly ImmutableArray<string> HubSpotIdFrom = ["email", "external_id", "phone"];

    public static DestinationType HubSpot(DestinationServices services) => new(
        HubSpotDestination.TypeName,
        "HubSpot CRM objects (batch upsert by a unique property); with list_id, membership of a MANUAL or SNAPSHOT list.",
        [
            SettingSpec.Secret("access_token", "a private app or OAuth access token"),
            SettingSpec.Text("object_type", "the CRM object type", @default: "contacts"),
            SettingSpec.Text("id_property", "the unique property that names a record", @default: "email"),
            SettingSpec.Choice("id_from", "the identifier holding the id_property value", HubSpotIdFrom, "email"),
            SettingSpec.Text("list_id", "a MANUAL or SNAPSHOT list (add/remove offered only with it)"),
            SettingSpec.Integer("batch_size", "inputs per batch upsert (100 [secondary])", 1, 100, 100),
            SettingSpec.Number("requests_per_second", "request rate (private apps 19, OAuth apps 10)", "19"),
            .. Common("https://api.hubapi.com/"),
        ],
        [Add, Remove, Upsert],
        Http(services, (http, s, context) => new HubSpotDestination(http, new HubSpotSettings(s.RequiredText("access_token"))
        {
            BaseUrl = Url(s, "base_url", "https://api.hubapi.com/"),
            ObjectType = s.Text("object_type") ?? "contacts",
            IdProperty = s.Text("id_property") ?? "email",
            IdFrom = IdFrom(s.Text("id_from")),
            ListId = s.Text("list_id"),
            MaxInputsPerRequest = s.Integer("batch_size", 100),
            RequestsPerSecond = s.Number("requests_per_second") ?? 19,
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(100, RequestsPerSecond: 19, MaxConcurrentRequests: 4),
        Identifiers = [IdentifierType.Email, IdentifierType.ExternalId, IdentifierType.Phone],
        OperationsFor = d => d.Find("list_id") is null ? [Upsert] : [Add, Remove, Upsert],
        OperationHint = ListHint,
        IdentifiersFor = d => [IdFrom(Literal(d, "id_from"))],
        ProfileFor = d => PlatformProfiles.Crm("hubspot"),
        Validate = ValidateUrls("base_url"),
    };

    private static IdentifierType IdFrom(string? text) => text switch
    {
        "external_id" => IdentifierType.ExternalId,
        "phone" => IdentifierType.Phone,
        _ => IdentifierType.Email,
    };

    // ---- Salesforce (§9) ----

    public static DestinationType Salesforce(DestinationServices services) => new(
        SalesforceDestination.TypeName,
        "Salesforce sObject Collections upsert by an external id field (the sync key); with membership_field, membership as a checkbox.",
        [
            SettingSpec.Text("instance_url", "the org's instance, e.g. https://example.my.salesforce.com/", required: true),
            SettingSpec.Secret("access_token", "an OAuth access token"),
            SettingSpec.Text("sobject", "the object type, e.g. Contact", required: true),
            SettingSpec.Text("external_id_field", "the external id field upserts match on; it receives the sync key", required: true),
            SettingSpec.Text("api_version", "the REST API version", @default: "v62.0"),
            SettingSpec.Text("membership_field", "a checkbox field marking membership (add/remove offered only with it)"),
            SettingSpec.Integer("batch_size", "records per request", 1, 200, 200),
            Timeout,
            ErrorDetail,
        ],
        [Add, Remove, Upsert],
        Http(services, (http, s, context) => new SalesforceDestination(http,
            new SalesforceSettings(Url(s, "instance_url", null), s.RequiredText("access_token"), s.RequiredText("sobject"), s.RequiredText("external_id_field"))
            {
                ApiVersion = s.Text("api_version") ?? "v62.0",
                MembershipField = s.Text("membership_field"),
                MaxRecordsPerRequest = s.Integer("batch_size", 200),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time)))
    {
        Limits = new DestinationLimits(200, MaxConcurrentRequests: 4),
        OperationsFor = d => d.Find("membership_field") is null ? [Upsert] : [Add, Remove, Upsert],
        OperationHint = op => op is Add or Remove ? "set membership_field (a checkbox field) to sync membership" : null,
        Validate = ValidateUrls("instance_url"),
    };

    // ---- Iterable (§10) ----

    public static DestinationType Iterable(DestinationServices services) => new(
        IterableDestination.TypeName,
        "Iterable users (bulk update); with list_id, static list subscribe/unsubscribe (never a global unsubscribe).",
        [
            SettingSpec.Secret("api_key", "a server-side API key"),
            SettingSpec.Integer("list_id", "the static list audience members join (add/remove offered only with it)", 1, long.MaxValue),
            SettingSpec.Choice("identify_by", "how users are named: email, or user_id (from the external_id identifier)", ["email", "user_id"], "email"),
            SettingSpec.Integer("batch_size", "users per request ([not found])", 1, 10_000, 1_000),
            .. Common("https://api.iterable.com/"),
        ],
        [Add, Remove, Upsert],
        Http(services, (http, s, context) => new IterableDestination(http, new IterableSettings(s.RequiredText("api_key"))
        {
            BaseUrl = Url(s, "base_url", "https://api.iterable.com/"),
            ListId = s.Text("list_id") is { } list ? long.Parse(list, NumberStyles.Integer, CultureInfo.InvariantCulture) : null,
            IdentifyBy = s.Text("identify_by") == "user_id" ? IterableUserKey.UserId : IterableUserKey.Email,
            MaxUsersPerRequest = s.Integer("batch_size", 1_000),
            IncludeErrorDetail = s.Boolean("include_error_detail", false),
        }, context.Time)))
    {
        Limits = new DestinationLimits(1_000, MaxConcurrentRequests: 2),
        Identifiers = [IdentifierType.Email, IdentifierType.ExternalId],
        OperationsFor = d => d.Find("list_id") is null ? [Upsert] : [Add, Remove, Upsert],
        OperationHint = ListHint,
        IdentifiersFor = d => [Literal(d, "identify_by") == "user_id" ? IdentifierType.ExternalId : IdentifierType.Email],
        ProfileFor = _ => PlatformProfiles.Crm("iterable"),
        Validate = ValidateUrls("base_url"),
    };

    // ---- Mailchimp (§11) ----

    public static DestinationType Mailchimp(DestinationServices services) => new(
        MailchimpDestination.TypeName,
        "Mailchimp audience (list) members: batch subscribe/update; with segment_id, static segment membership.",
        [
            SettingSpec.Secret("api_key", "the API key (its -dc suffix names the data center)"),
            SettingSpec.Text("list_id", "the audience (list) id", required: true),
            SettingSpec.Choice("status_if_new", "the status of contacts new to the list: a consent decision, so it has no default",
                ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"], required: true),
            SettingSpec.Text("segment_id", "a static segment audience members join"),
            SettingSpec.Choice("removal", "what an exit does", ["remove_from_segment", "unsubscribe"], "remove_from_segment"),
            SettingSpec.Boolean("use_bearer", "send the key as an OAuth Bearer token instead of HTTP Basic", false),
            SettingSpec.Integer("batch_size", "members per request and per segment array", 1, 500, 500),
            SettingSpec.Text("base_url", "the API host (default: https://<dc>.api.mailchimp.com/ from the key)"),
            Timeout,
            ErrorDetail,
        ],
        [Add, Remove, Upsert],
        Http(services, (http, s, context) => new MailchimpDestination(http,
            new MailchimpSettings(s.RequiredText("api_key"), s.RequiredText("list_id"), s.RequiredText("status_if_new"))
            {
                BaseUrl = s.Has("base_url") ? Url(s, "base_url", null) : null,
                UseBearer = s.Boolean("use_bearer", false),
                SegmentId = s.Text("segment_id"),
                Removal = s.Text("removal") == "unsubscribe" ? MailchimpRemoval.Unsubscribe : MailchimpRemoval.RemoveFromSegment,
                MaxMembersPerRequest = s.Integer("batch_size", 500),
                IncludeErrorDetail = s.Boolean("include_error_detail", false),
            }, context.Time)))
    {
        Limits = new DestinationLimits(500, MaxConcurrentRequests: 10),
        Identifiers = [IdentifierType.Email],
        OperationsFor = d => d.Find("segment_id") is not null || Literal(d, "removal") == "unsubscribe" ? [Add, Remove, Upsert] : [Add, Upsert],
        OperationHint = op => op == Remove ? "set segment_id, or removal: unsubscribe" : null,
        ProfileFor = _ => PlatformProfiles.Crm("mailchimp"),
        Validate = ValidateUrls("base_url"),
    };

    // ---- shared ----

    private static readonly SettingSpec PhoneRegion =
        SettingSpec.Text("default_phone_region", "the region (ISO 3166 alpha-2) of phone numbers written without a country code", @default: "US");

    private static readonly SettingSpec Timeout = SettingSpec.Integer("timeout_seconds", "how long to wait for an answer (a timeout is retried)", 1, 600, 30);

    private static readonly SettingSpec ErrorDetail =
        SettingSpec.Boolean("include_error_detail", "include the platform's own error text in messages (it may quote data)", false);

    private static SettingSpec[] Common(string baseUrl) =>
    [
        SettingSpec.Text("base_url", "the API host", @default: baseUrl),
        Timeout,
        ErrorDetail,
    ];

    private static string? ListHint(BatchOperation operation) => operation is Add or Remove ? "set list_id to sync list membership" : null;

    /// <summary>A factory that gives the connector an HttpClient on the catalog's shared handler, owned (and disposed) with the connector.</summary>
    private static DestinationFactory Http(DestinationServices services, Func<HttpClient, DestinationSettings, DestinationContext, PlatformDestination> create) =>
        (settings, context, _) =>
        {
            var http = new HttpClient(services.HttpHandler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(settings.Integer("timeout_seconds", 30)) };
            try
            {
                return ValueTask.FromResult<IDestination>(new OwnedHttpDestination(create(http, settings, context), http));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                http.Dispose();
                // A referenced setting ({env: ...}) resolved to a value the connector refuses.
                throw new DestinationException(PlatformTypeMessages.BadSettings(settings.Destination, e.Message), DestinationErrorClass.AuthOrConfig, innerException: e);
            }
        };

    private static Uri Url(DestinationSettings settings, string key, string? fallback)
    {
        var text = settings.Text(key) ?? fallback ?? settings.RequiredText(key);
        return IsHttpUrl(text) ? new Uri(text.EndsWith('/') ? text : text + "/")
            : throw new DestinationException(PlatformTypeMessages.NotAUrl(settings.Destination, key), DestinationErrorClass.AuthOrConfig);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static Action<DestinationDefinition, DiagnosticBag> ValidateUrls(params string[] keys) => (definition, diagnostics) =>
    {
        foreach (var key in keys)
        {
            if (definition.Find(key) is { Value: SettingValue.Literal literal } setting && !IsHttpUrl(literal.Text))
                diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.InvalidUrl(literal.Text), literal.Location ?? setting.Location);
        }
    };

    private static ConsentStatus Consent(string? text) => text switch
    {
        "granted" => ConsentStatus.Granted,
        "denied" => ConsentStatus.Denied,
        _ => ConsentStatus.Unspecified,
    };

    private static IEnumerable<string> Parts(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A setting's text when written as a value (not a reference).</summary>
    private static string? Literal(DestinationDefinition definition, string key) =>
        definition.Find(key)?.Value is SettingValue.Literal literal ? literal.Text : null;

    private static bool Flag(DestinationDefinition definition, string key, bool fallback) => Literal(definition, key)?.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => fallback,
    };
}

/// <summary>A platform connector with the HttpClient made for it; disposing it disposes the client (never the shared handler).</summary>
internal sealed class OwnedHttpDestination(PlatformDestination inner, HttpClient http) : IDestination, IIdentifierProfileSource
{
    public DestinationDescriptor Descriptor => inner.Descriptor;

    public IdentifierProfile? IdentifierProfile => inner.IdentifierProfile;

    public Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken) => inner.SendAsync(batch, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        http.Dispose();
    }
}

internal static class PlatformTypeMessages
{
    public static string UnknownListItem(string key, string item, IEnumerable<string> valid) =>
        $"'{item}' is not a valid entry of {key}; use {string.Join(", ", valid)} (comma-separated).";

    public static string BadSettings(string destination, string detail) => $"Destination '{destination}' has settings its connector refuses: {detail}";

    public static string NotAUrl(string destination, string key) => $"Setting '{key}' of destination '{destination}' is not an http or https URL.";
}
