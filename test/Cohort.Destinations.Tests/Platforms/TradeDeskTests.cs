using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Platforms.TradeDesk;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class TradeDeskCase : PlatformCase
{
    public TradeDeskCase() => Fake = new TradeDeskFake(Time);

    public TradeDeskFake Fake { get; }

    public override FakePlatformServer Server => Fake;

    public override string DataPath => "/data/advertiser";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) => new TradeDeskDestination(http, Settings(wrongCredentials), Time);

    public TradeDeskSettings Settings(bool wrongCredentials = false) =>
        new(TradeDeskFake.AdvertiserId, wrongCredentials ? "nope" : TradeDeskFake.Token, "churn-risk-high") { BaseUrl = Server.BaseUrl, TtlInMinutes = 43_200 };

    public override OutboundRecord Record(int i) =>
        Rec("k" + i, (IdentifierType.MobileAdvertisingId, $"6d92078a-8246-4ba4-ae5b-{i:D12}"), (IdentifierType.ExternalId, "tdid-" + i));

    public override OutboundRecord Unusable(string key) => Rec(key, (IdentifierType.Email, "dana@example.com"));
}

public sealed class TradeDeskTests : IAsyncLifetime
{
    private readonly TradeDeskCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task Adds_each_id_as_its_own_item_with_the_segment_and_ttl()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.MobileAdvertisingId, "6D92078A-8246-4BA4-AE5B-76104861E7DC"), (IdentifierType.ExternalId, "Tdid-CaseKept"))), CancellationToken.None);

        Assert.Equal(new HashSet<string> { "churn-risk-high|DAID:6d92078a-8246-4ba4-ae5b-76104861e7dc", "churn-risk-high|TDID:Tdid-CaseKept" }, _case.Fake.Members);
        Assert.Equal(43_200, (int)_case.Server.Requests.Single().Json!["Items"]![0]!["Data"]![0]!["TtlInMinutes"]!);
    }

    [Fact]
    public async Task Remove_is_not_offered_by_default_because_ttd_documents_none()
    {
        await using var destination = _case.Create();
        Assert.Equal([BatchOperation.Add], destination.Descriptor.Operations.ToArray());
        await Assert.ThrowsAsync<NotSupportedException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, _case.Record(1)), CancellationToken.None));
    }

    [Fact]
    public async Task Remove_by_short_ttl_when_configured_lets_the_membership_expire()
    {
        await using var destination = new TradeDeskDestination(new HttpClient(), _case.Settings() with { Removal = TradeDeskRemoval.ExpireWithShortTtl, RemovalTtlMinutes = 1 }, _case.Time);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, _case.Record(1)), CancellationToken.None);
        Assert.Equal(2, _case.Fake.Members.Count);

        _case.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(_case.Fake.Members);
    }

    [Fact]
    public async Task Failed_lines_reject_the_record_that_owns_the_item()
    {
        await using var destination = _case.Create();
        _case.Fake.UnmappedIds.Add("tdid-2");

        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2), _case.Record(3)), CancellationToken.None);

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Succeeded], result.Records.Select(r => r.Outcome));
        Assert.StartsWith("UserNotMapped", result.Records[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_request_is_permanent_so_the_engine_splits_it()
    {
        _case.Fake.MaxItems = 3;
        await using var destination = _case.Create();

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2)), CancellationToken.None));

        Assert.Equal((DestinationErrorClass.Permanent, 413), (error.ErrorClass, error.StatusCode));
    }
}
