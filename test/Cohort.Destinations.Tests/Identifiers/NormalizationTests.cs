using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Tests.Identifiers;

public sealed class NormalizationTests
{
    private static NormalizedRecord Normalize(IdentifierProfile profile, params (IdentifierType Type, string Value)[] ids) =>
        profile.Normalize(ids.ToImmutableDictionary(i => i.Type, i => i.Value));

    [Theory]
    [InlineData("  Dana.M+promo@Gmail.com ", false, "dana.m+promo@gmail.com")]
    [InlineData("  Dana.M+promo@Gmail.com ", true, "danam+promo@gmail.com")]
    [InlineData("Dana.M@example.com", true, "dana.m@example.com")]
    [InlineData("Dana.M@googlemail.com", true, "danam@googlemail.com")]
    public void Google_ads_gmail_dot_removal_is_a_flag_that_only_touches_gmail(string raw, bool removeDots, string expected) =>
        Assert.Equal(expected, Normalize(PlatformProfiles.GoogleAds(removeDots), (IdentifierType.Email, raw)).Identifiers[IdentifierType.Email].Normalized);

    [Fact]
    public void Data_manager_removes_inner_whitespace_and_gmail_dots() =>
        Assert.Equal("danam@gmail.com", Normalize(PlatformProfiles.DataManager(), (IdentifierType.Email, " Dana .M@gmail.com")).Identifiers[IdentifierType.Email].Normalized);

    [Fact]
    public void TikTok_removes_plus_tags_on_every_domain_but_keeps_dots() =>
        Assert.Equal("jane.doe@example.com", Normalize(PlatformProfiles.TikTok(), (IdentifierType.Email, "Jane.Doe+x@Example.com")).Identifiers[IdentifierType.Email].Normalized);

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b@c.com")]
    [InlineData("@example.com")]
    [InlineData("dana@localhost")]
    public void Malformed_emails_are_reported_without_the_value(string raw)
    {
        var record = Normalize(PlatformProfiles.Meta(), (IdentifierType.Email, raw));
        Assert.False(record.IsUsable);
        var issue = Assert.Single(record.Issues);
        Assert.Equal(IdentifierType.Email, issue.Type);
        Assert.DoesNotContain(raw, issue.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, record.UnusableReason!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US", "(650) 555-1212", PhoneFormat.E164WithPlus, "+16505551212")]
    [InlineData("US", "650.555.1212", PhoneFormat.E164DigitsOnly, "16505551212")]
    [InlineData("GB", "07700 900123", PhoneFormat.E164WithPlus, "+447700900123")]
    [InlineData("US", "447700900123", PhoneFormat.E164WithPlus, "+447700900123")]
    [InlineData("DE", "+49 30 901820", PhoneFormat.E164DigitsOnly, "4930901820")]
    public void Phones_become_e164_in_the_platform_format(string region, string raw, PhoneFormat format, string expected) =>
        Assert.Equal(expected, new PhoneNormalization(format, region).Apply(raw).Value);

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("+1 555")]
    public void Impossible_phone_numbers_are_invalid(string raw) =>
        Assert.False(new PhoneNormalization().Apply(raw).IsValid);

    [Fact]
    public void Meta_splits_nothing_itself_but_normalises_city_state_zip_gender()
    {
        var record = Normalize(PlatformProfiles.Meta(),
            (IdentifierType.City, "New York"), (IdentifierType.State, "California"), (IdentifierType.ZipCode, "94043-1351"),
            (IdentifierType.Gender, "Female"), (IdentifierType.MobileAdvertisingId, " 6D92078A-8246-4BA4-AE5B-76104861E7DC "));
        Assert.Equal("newyork", record.Identifiers[IdentifierType.City].Normalized);
        Assert.Equal("ca", record.Identifiers[IdentifierType.State].Normalized);
        Assert.Equal("94043", record.Identifiers[IdentifierType.ZipCode].Normalized);
        Assert.Equal("f", record.Identifiers[IdentifierType.Gender].Normalized);
        Assert.Equal("6d92078a-8246-4ba4-ae5b-76104861e7dc", record[IdentifierType.MobileAdvertisingId]);
        Assert.Equal(IdentifierHasher.Sha256Hex("newyork"), record[IdentifierType.City]);
    }

    [Fact]
    public void Uk_postcodes_are_compacted_for_meta() =>
        Assert.Equal("m11ae", new ZipNormalization().Apply(" M1 1AE ").Value);

    [Fact]
    public void Google_keeps_country_and_postal_code_unhashed_and_uppercases_the_country()
    {
        var record = Normalize(PlatformProfiles.GoogleAds(),
            (IdentifierType.FirstName, "  Dana   Marie "), (IdentifierType.LastName, "O'Example-Smith"),
            (IdentifierType.Country, "united states"), (IdentifierType.ZipCode, "94043"));
        Assert.Equal("dana marie", record.Identifiers[IdentifierType.FirstName].Normalized);
        Assert.Equal("oexamplesmith", record.Identifiers[IdentifierType.LastName].Normalized);
        Assert.Equal("US", record[IdentifierType.Country]);
        Assert.Equal("94043", record[IdentifierType.ZipCode]);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Data_manager_drops_name_prefixes_and_suffixes() =>
        Assert.Equal("dana", PlatformProfiles.DataManager().Normalize(
            ImmutableDictionary<IdentifierType, string>.Empty.Add(IdentifierType.FirstName, "Mrs. Dana")).Identifiers[IdentifierType.FirstName].Normalized);

    [Theory]
    [InlineData("1997-02-16", DateOrder.MonthFirst, "19970216")]
    [InlineData("19970216", DateOrder.MonthFirst, "19970216")]
    [InlineData("16/2/1997", DateOrder.DayFirst, "19970216")]
    [InlineData("1997-02-16T00:00:00Z", DateOrder.MonthFirst, "19970216")]
    public void Dates_of_birth_become_yyyymmdd(string raw, DateOrder order, string expected) =>
        Assert.Equal(expected, new DateOfBirthNormalization(order).Apply(raw).Value);

    [Theory]
    [InlineData("13/45/1997")]
    [InlineData("1850-01-01")]
    [InlineData("yesterday")]
    public void Bad_dates_of_birth_are_invalid(string raw) => Assert.False(new DateOfBirthNormalization().Apply(raw).IsValid);

    [Theory]
    [InlineData("DEU", "DE")]
    [InlineData("Germany", "DE")]
    [InlineData("Deutschland", "DE")]
    [InlineData("UK", "GB")]
    [InlineData("usa", "US")]
    public void Countries_resolve_to_alpha2(string raw, string expected) => Assert.Equal(expected, new CountryNormalization().Apply(raw).Value);

    [Fact]
    public void Unknown_country_is_invalid() => Assert.False(new CountryNormalization().Apply("Atlantis").IsValid);
}

public sealed class PrehashedTests
{
    private const string DanaHex = "07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3";
    private const string DanaBase64 = "B+LxOUsOqA4q3KAQ6oMY32lwAaAFunRScg7dpLDOV7M=";

    private static NormalizedRecord Email(IdentifierProfile profile, string value) =>
        profile.Normalize(ImmutableDictionary<IdentifierType, string>.Empty.Add(IdentifierType.Email, value));

    [Fact]
    public void Lowercase_hex_digest_passes_through_unchanged()
    {
        var id = Email(PlatformProfiles.Meta(), DanaHex).Identifiers[IdentifierType.Email];
        Assert.True(id.WasPrehashed);
        Assert.Equal(DanaHex, id.Value);
    }

    [Fact]
    public void Uppercase_hex_digest_is_given_the_platform_case_not_hashed_again() =>
        Assert.Equal(DanaHex, Email(PlatformProfiles.GoogleAds(), DanaHex.ToUpperInvariant())[IdentifierType.Email]);

    [Fact]
    public void Hex_digest_is_re_encoded_for_base64_platforms_and_base64_kept() 
    {
        Assert.Equal(DanaBase64, Email(PlatformProfiles.DataManager(HashEncoding.Sha256Base64), DanaHex)[IdentifierType.Email]);
        Assert.Equal(DanaBase64, Email(PlatformProfiles.DataManager(HashEncoding.Sha256Base64), DanaBase64)[IdentifierType.Email]);
        Assert.Equal(DanaHex, Email(PlatformProfiles.DataManager(), DanaBase64)[IdentifierType.Email]);
    }

    [Fact]
    public void Digests_are_not_recognised_for_unhashed_identifiers()
    {
        var record = PlatformProfiles.GoogleAds().Normalize(ImmutableDictionary<IdentifierType, string>.Empty.Add(IdentifierType.ExternalId, DanaHex.ToUpperInvariant()));
        Assert.Equal(DanaHex.ToUpperInvariant(), record[IdentifierType.ExternalId]);
    }

    [Fact]
    public void A_short_hex_string_is_not_a_digest() =>
        Assert.False(Email(PlatformProfiles.Meta(), "07e2f1394b0ea80e").IsUsable);
}

public sealed class MatchRateTests
{
    private static OutboundRecord Record(string key, params (IdentifierType Type, string Value)[] ids) =>
        OutboundRecord.Of(key) with { Identifiers = ids.ToImmutableDictionary(i => i.Type, i => i.Value) };

    [Fact]
    public void Reports_the_usable_share_per_identifier_and_the_invalid_records()
    {
        var records = new[]
        {
            Record("1", (IdentifierType.Email, "dana@example.com"), (IdentifierType.Phone, "+1 650 555 1212")),
            Record("2", (IdentifierType.Email, "not-an-email"), (IdentifierType.Phone, "+1 650 555 1213")),
            Record("3", (IdentifierType.Email, "broken")),
            Record("4"),
        };
        var report = MatchRateReport.Compute(records, PlatformProfiles.Meta());

        Assert.Equal(4, report.Records);
        Assert.Equal(2, report.Usable);
        Assert.Equal(2, report.Invalid);
        Assert.Equal(0.5, report.InvalidShare);
        var email = report.ByIdentifier.Single(s => s.Type == IdentifierType.Email);
        Assert.Equal((3, 1, 2), (email.Present, email.Usable, email.Invalid));
        Assert.Equal(0.25, email.UsableShare);
        var phone = report.ByIdentifier.Single(s => s.Type == IdentifierType.Phone);
        Assert.Equal(0.5, phone.UsableShare);
        Assert.Equal(2, report.InvalidReasons.Values.Sum());
        Assert.Contains(report.InvalidReasons.Keys, r => r.Contains("email: not an address", StringComparison.Ordinal));
    }

    [Fact]
    public void An_incomplete_address_is_not_a_match_key_on_google()
    {
        var record = PlatformProfiles.GoogleAds().Normalize(Record("1", (IdentifierType.FirstName, "Dana"), (IdentifierType.LastName, "Example")));
        Assert.False(record.IsUsable);
        Assert.Contains("FirstName+LastName+Country+ZipCode", record.UnusableReason, StringComparison.Ordinal);
    }
}
