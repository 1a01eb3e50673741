using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using static Cohort.Destinations.Abstractions.IdentifierType;

namespace Cohort.Destinations.Identifiers;

/// <summary>
/// The identifier profiles of the platforms, following the rules collected in the destination contracts reference
/// (section numbers in the comments). Every connector takes its profile from its settings, so a rule the reference
/// marks [not found] or [secondary] can be changed per destination without code.
/// </summary>
public static class PlatformProfiles
{
    private static IdentifierRule Hashed(IdentifierNormalization n) => new(n, HashEncoding.Sha256Hex);

    private static IdentifierRule Plain(IdentifierNormalization n) => new(n, HashEncoding.None);

    /// <summary>
    /// Google Ads Customer Match (§1.5): SHA-256 hex; email trim + lowercase (gmail dots optional, off by default);
    /// phone E.164 with '+'; first name lowercase with extra spaces removed; last name lowercase without punctuation;
    /// country code (alpha-2) and postal code not hashed; mobile id and third-party user id unhashed.
    /// </summary>
    public static IdentifierProfile GoogleAds(bool removeGmailDots = false, string defaultPhoneRegion = "US") => new(
        "google-ads",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = Hashed(new EmailNormalization(RemoveDots: removeGmailDots ? EmailDomainScope.GmailAndGooglemail : EmailDomainScope.None)),
            [Phone] = Hashed(new PhoneNormalization(PhoneFormat.E164WithPlus, defaultPhoneRegion)),
            [FirstName] = Hashed(new NameNormalization(WhitespaceRule.Collapse)),
            [LastName] = Hashed(new NameNormalization(WhitespaceRule.Collapse, RemovePunctuation: true)),
            [Country] = Plain(new CountryNormalization(CountryCase.Upper)),
            [ZipCode] = Plain(new ZipNormalization(UsFiveDigits: false, Compact: false, Lowercase: false)),
            [MobileAdvertisingId] = Plain(new PlainNormalization(Label: "mobile advertising id")),
            [ExternalId] = Plain(new PlainNormalization(Label: "external id")),
        }.ToImmutableDictionary(),
        [[Email], [Phone], [FirstName, LastName, Country, ZipCode], [MobileAdvertisingId], [ExternalId]]);

    /// <summary>
    /// Google Data Manager (§1b): email lowercase with all whitespace removed and gmail/googlemail dots removed
    /// (required there); phone E.164 with '+'; given/family names lowercase without prefixes and suffixes;
    /// region and postal code not hashed. Hex or Base64, as the request declares in <c>encoding</c>.
    /// </summary>
    public static IdentifierProfile DataManager(HashEncoding encoding = HashEncoding.Sha256Hex, bool removeGmailDots = true, string defaultPhoneRegion = "US")
    {
        if (encoding is not (HashEncoding.Sha256Hex or HashEncoding.Sha256Base64))
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Data Manager takes SHA-256 as hex or Base64.");
        IdentifierRule H(IdentifierNormalization n) => new(n, encoding);
        return new(
            "google-data-manager",
            new Dictionary<IdentifierType, IdentifierRule>
            {
                [Email] = H(new EmailNormalization(removeGmailDots ? EmailDomainScope.GmailAndGooglemail : EmailDomainScope.None, RemoveInnerWhitespace: true)),
                [Phone] = H(new PhoneNormalization(PhoneFormat.E164WithPlus, defaultPhoneRegion)),
                [FirstName] = H(new NameNormalization(WhitespaceRule.Collapse, RemovePrefixesAndSuffixes: true)),
                [LastName] = H(new NameNormalization(WhitespaceRule.Collapse, RemovePrefixesAndSuffixes: true)),
                [Country] = Plain(new CountryNormalization(CountryCase.Upper)),
                [ZipCode] = Plain(new ZipNormalization(UsFiveDigits: false, Compact: false, Lowercase: false)),
            }.ToImmutableDictionary(),
            [[Email], [Phone], [FirstName, LastName, Country, ZipCode]]);
    }

    /// <summary>
    /// Meta custom audiences (§2.5): SHA-256 lowercase hex of email (trim + lowercase), phone (digits with country
    /// code, no '+'), names/city (letters only, accents kept), state (2-letter code), zip (US 5 digits, else compact
    /// lowercase), country (lowercase alpha-2), date of birth, gender (f/m); MADID lowercase and EXTERN_ID unhashed.
    /// </summary>
    public static IdentifierProfile Meta(string defaultPhoneRegion = "US", DateOrder dateOrder = DateOrder.MonthFirst) => new(
        "meta",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = Hashed(new EmailNormalization()),
            [Phone] = Hashed(new PhoneNormalization(PhoneFormat.E164DigitsOnly, defaultPhoneRegion)),
            [FirstName] = Hashed(new NameNormalization(LettersOnly: true)),
            [LastName] = Hashed(new NameNormalization(LettersOnly: true)),
            [City] = Hashed(new CityNormalization(LettersOnly: true)),
            [State] = Hashed(new StateNormalization()),
            [ZipCode] = Hashed(new ZipNormalization()),
            [Country] = Hashed(new CountryNormalization(CountryCase.Lower)),
            // Meta wants DOBY/DOBM/DOBD hashed separately, so a whole-date digest cannot be used.
            [DateOfBirth] = new(new DateOfBirthNormalization(dateOrder), HashEncoding.Sha256Hex, AcceptPrehashed: false),
            [Gender] = Hashed(new GenderNormalization()),
            [MobileAdvertisingId] = Plain(new PlainNormalization(Lowercase: true, Label: "mobile advertising id")),
            [ExternalId] = Plain(new PlainNormalization(Label: "external id")),
        }.ToImmutableDictionary(),
        [[Email], [Phone], [MobileAdvertisingId], [ExternalId], [FirstName, LastName, ZipCode], [FirstName, LastName, City, State], [FirstName, LastName, DateOfBirth]]);

    /// <summary>
    /// UID2 / EUID (§3.3, The Trade Desk's convention): email trim + lowercase, for gmail.com only dots and '+tag'
    /// removed; phone E.164 with '+'; SHA-256 as Base64 of the raw digest.
    /// </summary>
    public static IdentifierProfile Uid2(string defaultPhoneRegion = "US") => new(
        "uid2",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = new(new EmailNormalization(EmailDomainScope.Gmail, EmailDomainScope.Gmail), HashEncoding.Sha256Base64),
            [Phone] = new(new PhoneNormalization(PhoneFormat.E164WithPlus, defaultPhoneRegion), HashEncoding.Sha256Base64),
        }.ToImmutableDictionary());

    /// <summary>
    /// The Trade Desk first-party data endpoint (§3.1): ids sent raw. The mobile advertising id goes as DAID; the
    /// external id goes as the configured id kind (TDID, UID2, RampID, …). Raw UID2s are case-sensitive: never folded.
    /// </summary>
    public static IdentifierProfile TradeDeskFirstParty() => new(
        "the-trade-desk",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [MobileAdvertisingId] = Plain(new PlainNormalization(Lowercase: true, Label: "mobile advertising id")),
            [ExternalId] = Plain(new PlainNormalization(Label: "external id")),
        }.ToImmutableDictionary());

    /// <summary>
    /// LinkedIn DMP segment users (§4): SHA256_EMAIL as trim + lowercase then SHA-256 hex ([secondary]: LinkedIn's
    /// own normalisation was not found); names sent as given (trimmed, not hashed); mobile ids raw.
    /// </summary>
    public static IdentifierProfile LinkedIn() => new(
        "linkedin",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = Hashed(new EmailNormalization()),
            [FirstName] = Plain(new PlainNormalization(Label: "first name")),
            [LastName] = Plain(new PlainNormalization(Label: "last name")),
            [MobileAdvertisingId] = Plain(new PlainNormalization(Label: "mobile advertising id")),
        }.ToImmutableDictionary(),
        [[Email], [MobileAdvertisingId], [FirstName, LastName]]);

    /// <summary>
    /// TikTok (§5.3): email lowercase with '+tag' removed on every domain, SHA-256 hex; phone digits only with the
    /// country code (the default; the official page contradicts itself, so <paramref name="phoneWithPlus"/> switches
    /// it); mobile advertising id trimmed, lowercased and SHA-256 hashed.
    /// </summary>
    public static IdentifierProfile TikTok(bool phoneWithPlus = false, string defaultPhoneRegion = "US") => new(
        "tiktok",
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = Hashed(new EmailNormalization(RemovePlusTag: EmailDomainScope.AllDomains)),
            [Phone] = Hashed(new PhoneNormalization(phoneWithPlus ? PhoneFormat.E164WithPlus : PhoneFormat.E164DigitsOnly, defaultPhoneRegion)),
            [MobileAdvertisingId] = Hashed(new PlainNormalization(Lowercase: true, Label: "mobile advertising id")),
        }.ToImmutableDictionary());

    /// <summary>
    /// CRM and email tools (Braze, Klaviyo, HubSpot, Salesforce, Iterable, Mailchimp): nothing hashed; email
    /// trimmed and lowercased, phone E.164 with '+' (Klaviyo requires E.164), names trimmed (case kept), external id as given.
    /// </summary>
    public static IdentifierProfile Crm(string name, string defaultPhoneRegion = "US") => new(
        name,
        new Dictionary<IdentifierType, IdentifierRule>
        {
            [Email] = Plain(new EmailNormalization()),
            [Phone] = Plain(new PhoneNormalization(PhoneFormat.E164WithPlus, defaultPhoneRegion)),
            [FirstName] = Plain(new PlainNormalization(Label: "first name")),
            [LastName] = Plain(new PlainNormalization(Label: "last name")),
            [ExternalId] = Plain(new PlainNormalization(Label: "external id")),
        }.ToImmutableDictionary(),
        [[Email], [Phone], [ExternalId]]);
}
