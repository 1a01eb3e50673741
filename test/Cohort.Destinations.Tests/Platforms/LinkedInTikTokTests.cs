using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.LinkedIn;
using Cohort.Destinations.Platforms.TikTok;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class LinkedInCase : PlatformCase
{
    public LinkedInFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/users";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new LinkedInDestination(http, Settings(wrongCredentials), Time);

    public LinkedInSettings Settings(bool wrongCredentials = false) =>
        new(LinkedInFake.SegmentId, wrongCredentials ? "expired" : LinkedInFake.Token) { BaseUrl = Server.BaseUrl, MobileIdType = "GOOGLE_AID" };
}

public sealed class TikTokCase : PlatformCase
{
    public TikTokFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/segment/mapping/";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new TikTokDestination(http, Settings(wrongCredentials), Time);

    public TikTokSettings Settings(bool wrongCredentials = false) =>
        new(TikTokFake.AdvertiserId, TikTokFake.AudienceId, wrongCredentials ? "bad" : TikTokFake.Token) { BaseUrl = Server.BaseUrl, MobileIdSchema = "IDFA_SHA256" };
}

public sealed class LinkedInTests : IAsyncLifetime
{
    private readonly LinkedInCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task Adds_and_removes_hashed_emails_mobile_ids_and_names_with_the_required_headers()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.Email, " Dana@Example.com")),
            PlatformCase.Rec("2", (IdentifierType.MobileAdvertisingId, "aaaa-bbbb")),
            PlatformCase.Rec("3", (IdentifierType.FirstName, "Dana"), (IdentifierType.LastName, "Example"))), CancellationToken.None);

        Assert.Equal(new HashSet<string> { "SHA256_EMAIL:" + IdentifierHasher.Sha256Hex("dana@example.com"), "GOOGLE_AID:aaaa-bbbb", "NAME:Dana|Example" }, _case.Fake.Members);
        var request = _case.Server.Requests.Single();
        Assert.Equal(("202505", "2.0.0", "BATCH_CREATE"), (request.Header("LinkedIn-Version"), request.Header("X-Restli-Protocol-Version"), request.Header("X-RestLi-Method")));

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, PlatformCase.Rec("1", (IdentifierType.Email, "dana@example.com"))), CancellationToken.None);
        Assert.Equal(2, _case.Fake.Members.Count);
    }

    [Fact]
    public async Task Element_statuses_map_to_records_in_order()
    {
        await using var destination = _case.Create();
        _case.Fake.RejectedValues.Add(IdentifierHasher.Sha256Hex("person2@example.com"));

        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2), _case.Record(3)), CancellationToken.None);

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Succeeded], result.Records.Select(r => r.Outcome));
        Assert.Contains("Invalid user id", result.Records[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_mobile_id_type_mobile_ids_are_not_sent()
    {
        await using var destination = new LinkedInDestination(new HttpClient(), _case.Settings() with { MobileIdType = null }, _case.Time);
        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, PlatformCase.Rec("1", (IdentifierType.MobileAdvertisingId, "aaaa"))), CancellationToken.None);

        Assert.Equal(RecordOutcome.Invalid, result.Records.Single().Outcome);
        Assert.DoesNotContain(IdentifierType.MobileAdvertisingId, destination.Descriptor.Identifiers);
    }

    [Fact]
    public async Task A_missing_version_header_is_refused_by_the_fake_as_a_permanent_error()
    {
        await using var destination = new LinkedInDestination(new HttpClient(), _case.Settings() with { Version = "" }, _case.Time);
        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));
        Assert.Equal((DestinationErrorClass.Permanent, "VERSION_MISSING"), (error.ErrorClass, error.VendorCode));
    }
}

public sealed class TikTokTests : IAsyncLifetime
{
    private readonly TikTokCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task Adds_and_deletes_with_tiktok_normalisation_aligned_to_the_id_schema()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.Email, "JaneDoe+ads@Gmail.com")),
            PlatformCase.Rec("2", (IdentifierType.Phone, "+374 93 828222"), (IdentifierType.MobileAdvertisingId, "5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25"))), CancellationToken.None);

        Assert.Equal(new HashSet<string>
        {
            "EMAIL_SHA256:d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69",
            "PHONE_SHA256:65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4",
            "IDFA_SHA256:83dc3f5f32b9472613b0f038d36f22585a609d018af6f6067f50da318bf354bd",
        }, _case.Fake.Members);

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, PlatformCase.Rec("1", (IdentifierType.Email, "janedoe@gmail.com"))), CancellationToken.None);
        Assert.Equal(2, _case.Fake.Members.Count);
        Assert.Equal("delete", (string?)_case.Server.Requests[^1].Json!["action"]);
    }

    [Theory]
    [InlineData(40100, DestinationErrorClass.Transient)]
    [InlineData(50002, DestinationErrorClass.Transient)]
    [InlineData(40105, DestinationErrorClass.AuthOrConfig)]
    [InlineData(40002, DestinationErrorClass.Permanent)]
    public async Task Envelope_codes_on_http_200_are_classified(long code, DestinationErrorClass expected)
    {
        await using var destination = _case.Create();
        _case.Fake.ForcedCode = code;

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(expected, error.ErrorClass);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), error.VendorCode);
        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public async Task The_plus_in_hashed_phones_is_a_setting()
    {
        await using var destination = new TikTokDestination(new HttpClient(), _case.Settings() with { PhoneWithPlus = true }, _case.Time);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, PlatformCase.Rec("1", (IdentifierType.Phone, "+37493828222"))), CancellationToken.None);

        Assert.Equal(["PHONE_SHA256:" + IdentifierHasher.Sha256Hex("+37493828222")], _case.Fake.Members);
    }
}
