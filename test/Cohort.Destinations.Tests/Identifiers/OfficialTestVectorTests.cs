using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Tests.Identifiers;

/// <summary>
/// Every hash test vector of the destination contracts reference (shared/reference/destination-contracts.md),
/// run through the platform's profile from the raw input the vendor shows.
/// </summary>
public sealed class OfficialTestVectorTests
{
    private static string Encode(IdentifierProfile profile, IdentifierType type, string raw)
    {
        var record = profile.Normalize(ImmutableDictionary<IdentifierType, string>.Empty.Add(type, raw));
        Assert.True(record.Has(type), $"{type} '{raw}' was rejected: {string.Join("; ", record.Issues.Select(i => i.Reason))}");
        return record[type]!;
    }

    // §1b, Data Manager send-audience-members guide.
    [Theory]
    [InlineData("dana@example.com", "07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3")]
    [InlineData("DanaM@example.com", "1df6b43bc68dd38eca94e6a65b4f466ae537b796c81a526918b40ac4a7b906c7")]
    [InlineData("ALEXF@example.com", "19de0a9906ebee29fe82087be5ec44f3c01e40730bc808b663c71f19dd6b12f2")]
    [InlineData("alexf@cymbalgroup.com", "7d2d80e240594dcee2e57f57885ee286c4b232dd142234d7a0af6d31cc86679b")]
    [InlineData("alexf@altostrat.com", "063c45291827d4994f98357b72862b25885834fd53cf8f0e4af359916fc03c62")]
    [InlineData("quinn@CYMBALGROUP.com", "05bb62526f091b45d20e243d194766cca8869137421047dc53fa4876d111a6f0")]
    [InlineData("baklavainthebalkans@gmail.com", "f1fcde379f31f4d446b76ee8f34860eca2288adc6b6d6c0fdc56d9eee75a2fa5")]
    [InlineData("rosario@example.org", "83a834cc5327bc4dee7c5408988040dc5813c7662611cd93b707aff72bf7d33f")]
    [InlineData("cloudySanFrancisco@GMAIL.com", "223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4")]
    public void Data_manager_email_vectors(string raw, string expected) =>
        Assert.Equal(expected, Encode(PlatformProfiles.DataManager(), IdentifierType.Email, raw));

    [Theory]
    [InlineData("+1-800-555-0100", "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30")]
    [InlineData("+1 800-555-0101", "61d6c2976b5d92b1ad63073a12fddd26040cd980067d03a93dd1cc50f1a3ac68")]
    [InlineData("+18005550102", "c5383c2eeada28210d27f011bc127d4f9562cf38ff0c9bba33dd45ae79b9fe7c")]
    [InlineData("+18005550110", "525c2390a4e2a9766fa8ddc341dd10414603baebefa401f5a5e29f55e176525d")]
    [InlineData("(800)555-0100", "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30")]
    public void Data_manager_phone_vectors(string raw, string expected) =>
        Assert.Equal(expected, Encode(PlatformProfiles.DataManager(), IdentifierType.Phone, raw));

    [Fact]
    public void Data_manager_base64_encoding_of_the_first_vector() =>
        Assert.Equal("B+LxOUsOqA4q3KAQ6oMY32lwAaAFunRScg7dpLDOV7M=",
            Encode(PlatformProfiles.DataManager(HashEncoding.Sha256Base64), IdentifierType.Email, "dana@example.com"));

    // §1.3 / §1.5: Google Ads uses the same hex digests for the same normalised values.
    [Fact]
    public void Google_ads_hashes_email_and_plus_phone_like_the_examples()
    {
        var profile = PlatformProfiles.GoogleAds();
        Assert.Equal("07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3", Encode(profile, IdentifierType.Email, "  Dana@Example.com "));
        Assert.Equal("fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30", Encode(profile, IdentifierType.Phone, "+1 (800) 555-0100"));
    }

    // §2.5, Meta customer-information parameters page.
    [Theory]
    [InlineData(IdentifierType.Email, "John_Smith@gmail.com", "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")]
    [InlineData(IdentifierType.Phone, "(650)555-1212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")]
    [InlineData(IdentifierType.Phone, "16505551212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")]
    [InlineData(IdentifierType.FirstName, "Mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec")]
    [InlineData(IdentifierType.FirstName, "mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec")]
    [InlineData(IdentifierType.LastName, "정", "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14")]
    [InlineData(IdentifierType.FirstName, "Valéry", "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c")]
    [InlineData(IdentifierType.DateOfBirth, "2/16/1997", "01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c")]
    [InlineData(IdentifierType.Country, "United States", "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621")]
    [InlineData(IdentifierType.Country, "US", "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621")]
    public void Meta_vectors(IdentifierType type, string raw, string expected) =>
        Assert.Equal(expected, Encode(PlatformProfiles.Meta(), type, raw));

    [Fact]
    public void Meta_accented_name_in_decomposed_form_hashes_like_the_composed_vector() =>
        Assert.Equal("08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c",
            Encode(PlatformProfiles.Meta(), IdentifierType.FirstName, "Vale\u0301ry"));

    // §3.3, UID2 normalisation and encoding (IABTechLab/uid2docs).
    [Theory]
    [InlineData("user@example.com", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=")]
    [InlineData("JANE.SAOIRSE@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=")]
    [InlineData("Jane.Saoirse@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=")]
    [InlineData("JaneSaoirse+Work@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=")]
    [InlineData("MyEmail@example.com", "FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U=")]
    [InlineData("JaneSaoirse+Work@example.com", "KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA=")]
    public void Uid2_email_vectors(string raw, string expectedBase64) =>
        Assert.Equal(expectedBase64, Encode(PlatformProfiles.Uid2(), IdentifierType.Email, raw));

    [Fact]
    public void Uid2_hex_and_base64_are_two_encodings_of_the_same_digest()
    {
        Assert.Equal("b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514", IdentifierHasher.Sha256Hex("user@example.com"));
        Assert.Equal("10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee", IdentifierHasher.Sha256Hex("+12345678901"));
        Assert.Equal("EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=", Encode(PlatformProfiles.Uid2(), IdentifierType.Phone, "+1 234 567 8901"));
    }

    [Fact]
    public void Uid2_unnormalised_email_gives_the_documented_wrong_value()
    {
        Assert.Equal("VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E=", IdentifierHasher.Sha256Base64("JANESaoirse@gmail.com"));
        Assert.NotEqual("VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E=", Encode(PlatformProfiles.Uid2(), IdentifierType.Email, "JANESaoirse@gmail.com"));
    }

    [Fact]
    public void Uid2_phone_normalisation_example_from_sydney()
    {
        var profile = PlatformProfiles.Uid2().WithDefaultPhoneRegion("AU");
        var record = profile.Normalize(ImmutableDictionary<IdentifierType, string>.Empty.Add(IdentifierType.Phone, "(02) 1234 5678"));
        Assert.Equal("+61212345678", record.Identifiers[IdentifierType.Phone].Normalized);
    }

    // §5.3, TikTok list of supported ids and formats.
    [Fact]
    public void TikTok_phone_vector_is_the_digits_without_plus()
    {
        Assert.Equal("65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4", Encode(PlatformProfiles.TikTok(), IdentifierType.Phone, "+374 93 828222"));
        Assert.StartsWith("241371e6", Encode(PlatformProfiles.TikTok(phoneWithPlus: true), IdentifierType.Phone, "+37493828222"), StringComparison.Ordinal);
    }

    [Fact]
    public void TikTok_email_and_maid_vectors()
    {
        Assert.Equal("d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69", Encode(PlatformProfiles.TikTok(), IdentifierType.Email, "JaneDoe+ads@Gmail.com"));
        Assert.Equal("83dc3f5f32b9472613b0f038d36f22585a609d018af6f6067f50da318bf354bd", Encode(PlatformProfiles.TikTok(), IdentifierType.MobileAdvertisingId, "5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25"));
    }

    // §11, Mailchimp member id (computed vectors; Mailchimp publishes none).
    [Theory]
    [InlineData("dana@example.com", "e556d839bbda3d423c5b09096613f2d7")]
    [InlineData("Urist.McVankab@FreddiesJokes.com", "62eeb292278cc15f5817cb78f7790b08")]
    public void Mailchimp_subscriber_hash_vectors(string email, string expected) =>
        Assert.Equal(expected, IdentifierHasher.MailchimpSubscriberHash(email));
}
