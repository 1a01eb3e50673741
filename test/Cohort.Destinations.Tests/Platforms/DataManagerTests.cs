using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.DataManager;
using Cohort.Destinations.Platforms.Google;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class DataManagerCase : PlatformCase
{
    public DataManagerFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/v1/audienceMembers:";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new DataManagerDestination(http, Settings(wrongCredentials), Time);

    public DataManagerSettings Settings(bool wrongCredentials = false) =>
        new(wrongCredentials ? "bad" : DataManagerFake.AccessToken, [new DataManagerDestinationRef("GOOGLE_ADS", "1112223333", DataManagerFake.UserListId)])
        {
            BaseUrl = Server.BaseUrl,
            AcceptCustomerMatchTerms = true,
            Consent = new GoogleConsent(ConsentStatus.Granted, ConsentStatus.Granted),
        };
}

public sealed class DataManagerTests : IAsyncLifetime
{
    private readonly DataManagerCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task Ingest_then_remove_with_gmail_dots_removed_and_hex_encoding()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.Email, "cloudySanFrancisco@GMAIL.com")),
            PlatformCase.Rec("2", (IdentifierType.Phone, "+1 800-555-0101")),
            PlatformCase.Rec("3", (IdentifierType.Email, "Cloudy.San.Francisco@gmail.com"))), CancellationToken.None);

        Assert.Equal(
            new HashSet<string>
            {
                "emailAddress:223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4",
                "phoneNumber:61d6c2976b5d92b1ad63073a12fddd26040cd980067d03a93dd1cc50f1a3ac68",
            },
            _case.Fake.Members);
        var request = _case.Server.Requests.Single();
        Assert.Equal("HEX", (string?)request.Json!["encoding"]);
        Assert.Equal("CONSENT_GRANTED", (string?)request.Json!["consent"]!["adUserData"]);

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, PlatformCase.Rec("2", (IdentifierType.Phone, "+18005550101"))), CancellationToken.None);
        Assert.Single(_case.Fake.Members);
    }

    [Fact]
    public async Task Base64_encoding_is_declared_and_used()
    {
        await using var destination = new DataManagerDestination(new HttpClient(), _case.Settings() with { Encoding = HashEncoding.Sha256Base64 }, _case.Time);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, PlatformCase.Rec("1", (IdentifierType.Email, "dana@example.com"))), CancellationToken.None);

        Assert.Equal(["emailAddress:B+LxOUsOqA4q3KAQ6oMY32lwAaAFunRScg7dpLDOV7M="], _case.Fake.Members);
    }

    [Fact]
    public async Task Composite_data_shape_is_accepted()
    {
        await using var destination = new DataManagerDestination(new HttpClient(), _case.Settings() with { MemberShape = DataManagerMemberShape.CompositeData }, _case.Time);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);

        Assert.NotNull(_case.Server.Requests.Single().Json!["audienceMembers"]![0]!["compositeData"]);
        Assert.Single(_case.Fake.Members);
    }

    [Fact]
    public async Task Members_named_in_field_violations_are_rejected_and_the_rest_pending()
    {
        await using var destination = _case.Create();
        _case.Fake.RejectedValues.Add(IdentifierHasher.Sha256Hex("person2@example.com"));

        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2), _case.Record(3)), CancellationToken.None);

        Assert.Equal([RecordOutcome.Pending, RecordOutcome.Rejected, RecordOutcome.Pending], result.Records.Select(r => r.Outcome));
        Assert.Contains("INVALID_SHA256_FORMAT", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.Empty(_case.Fake.Members);

        var retry = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(3)), CancellationToken.None);
        Assert.All(retry.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Equal(2, _case.Fake.Members.Count);
    }

    [Fact]
    public async Task Resource_exhausted_is_transient()
    {
        await using var destination = _case.Create();
        _case.Server.Inject(Fault.Status(429, vendorCode: "RESOURCE_EXHAUSTED"));

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal((DestinationErrorClass.Transient, "RESOURCE_EXHAUSTED"), (error.ErrorClass, error.VendorCode));
    }

    [Fact]
    public void Descriptor_follows_the_documented_limits()
    {
        var d = _case.Create().Descriptor;
        Assert.Equal((10_000, 5.0, 10), (d.MaxRecordsPerBatch, d.RequestsPerSecond, d.MaxConcurrentRequests));
    }
}
