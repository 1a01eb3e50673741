using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.Meta;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class MetaCase : PlatformCase
{
    public MetaFake Fake { get; } = new();

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/users";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) =>
        new MetaCustomAudienceDestination(http, new MetaSettings(MetaFake.AudienceId, wrongCredentials ? "expired" : MetaFake.AccessToken) { BaseUrl = Server.BaseUrl }, Time);
}

public sealed class MetaTests : IAsyncLifetime
{
    private readonly MetaCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task Adds_and_removes_with_meta_normalisation_as_seen_by_the_fake()
    {
        await using var destination = _case.Create();
        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.Email, "John_Smith@gmail.com"), (IdentifierType.Phone, "(650)555-1212"), (IdentifierType.Country, "United States")),
            PlatformCase.Rec("2", (IdentifierType.FirstName, "Valéry"), (IdentifierType.LastName, "Example"), (IdentifierType.DateOfBirth, "2/16/1997"),
                (IdentifierType.MobileAdvertisingId, "6D92078A-8246-4BA4-AE5B-76104861E7DC"), (IdentifierType.ExternalId, "crm-000123"))), CancellationToken.None);

        Assert.All(result.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Contains("EMAIL:62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", _case.Fake.Members);
        Assert.Contains("PHONE:e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", _case.Fake.Members);
        Assert.Contains("COUNTRY:79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621", _case.Fake.Members);
        Assert.Contains("FN:08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c", _case.Fake.Members);
        Assert.Contains("DOBY:" + IdentifierHasher.Sha256Hex("1997"), _case.Fake.Members);
        Assert.Contains("DOBM:" + IdentifierHasher.Sha256Hex("02"), _case.Fake.Members);
        Assert.Contains("DOBD:" + IdentifierHasher.Sha256Hex("16"), _case.Fake.Members);
        Assert.Contains("MADID:6d92078a-8246-4ba4-ae5b-76104861e7dc", _case.Fake.Members);
        Assert.Contains("EXTERN_ID:crm-000123", _case.Fake.Members);

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, PlatformCase.Rec("1", (IdentifierType.Email, "john_smith@gmail.com"))), CancellationToken.None);
        Assert.DoesNotContain("EMAIL:62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", _case.Fake.Members);
        Assert.Equal("DELETE", _case.Server.Requests[^1].Method);
    }

    [Fact]
    public async Task Batches_of_a_run_share_a_session_with_increasing_sequence_and_a_new_run_starts_a_new_one()
    {
        await using var destination = _case.Create();
        for (var i = 0; i < 3; i++) await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(i)), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(9)), CancellationToken.None);

        var sessions = _case.Server.Requests.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Form["session"])!).ToList();
        Assert.Equal([1L, 2L, 3L, 1L], sessions.Select(s => (long)s["batch_seq"]!));
        Assert.Single(sessions.Take(3).Select(s => (long)s["session_id"]!).Distinct());
        Assert.NotEqual((long)sessions[0]["session_id"]!, (long)sessions[3]["session_id"]!);
    }

    [Fact]
    public async Task Rows_in_the_invalid_samples_are_rejected_and_the_rest_succeed()
    {
        await using var destination = _case.Create();
        _case.Fake.InvalidValues.Add(IdentifierHasher.Sha256Hex("person2@example.com"));

        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2)), CancellationToken.None);

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected], result.Records.Select(r => r.Outcome));
        Assert.Contains("Invalid format", result.Records[1].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("17/2446079", DestinationErrorClass.Transient)]
    [InlineData("613/1487742", DestinationErrorClass.Transient)]
    [InlineData("4", DestinationErrorClass.Transient)]
    [InlineData("190", DestinationErrorClass.AuthOrConfig)]
    [InlineData("294", DestinationErrorClass.AuthOrConfig)]
    [InlineData("100/1713230", DestinationErrorClass.AuthOrConfig)]
    [InlineData("100", DestinationErrorClass.Permanent)]
    public async Task Graph_error_codes_decide_the_class_of_a_400(string code, DestinationErrorClass expected)
    {
        await using var destination = _case.Create();
        _case.Server.Inject(Fault.Status(400, vendorCode: code));

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(expected, error.ErrorClass);
        Assert.Equal(code, error.VendorCode);
    }

    [Fact]
    public async Task A_blocked_audience_stops_the_sync()
    {
        await using var destination = _case.Create();
        _case.Fake.Blocked = true;

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(DestinationErrorClass.AuthOrConfig, error.ErrorClass);
    }
}
