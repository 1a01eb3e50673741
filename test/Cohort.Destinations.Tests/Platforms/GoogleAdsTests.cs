using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms.Google;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

public sealed class GoogleAdsCase : PlatformCase
{
    private readonly GoogleAdsFake _server;

    public GoogleAdsCase() => _server = new GoogleAdsFake(Time);

    public override FakePlatformServer Server => _server;

    public GoogleAdsFake Fake => _server;

    public override string DataPath => ":addOperations";

    public override IDestination Create(HttpClient http, bool wrongCredentials = false) =>
        new GoogleAdsCustomerMatchDestination(http, Settings(wrongCredentials), Time);

    public GoogleAdsSettings Settings(bool wrongCredentials = false) =>
        new(GoogleAdsFake.CustomerId, GoogleAdsFake.UserListId, GoogleAdsFake.DeveloperToken,
            wrongCredentials ? "expired" : GoogleAdsFake.AccessToken, new GoogleConsent(ConsentStatus.Granted, ConsentStatus.Granted))
        {
            BaseUrl = Server.BaseUrl,
        };
}

public sealed class GoogleAdsTests : IAsyncLifetime
{
    private readonly GoogleAdsCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    private static string Email(string normalized) => "hashedEmail:" + IdentifierHasher.Sha256Hex(normalized);

    [Fact]
    public async Task Adds_reach_the_list_only_when_the_job_runs_and_removes_use_a_separate_job()
    {
        await using var destination = _case.Create();
        Assert.True(destination.Descriptor.CommitOnComplete);

        var added = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add,
            PlatformCase.Rec("1", (IdentifierType.Email, " Dana@Example.com ")),
            PlatformCase.Rec("2", (IdentifierType.Email, "rosario@example.org"), (IdentifierType.Phone, "+1 (800) 555-0100"))), CancellationToken.None);
        Assert.All(added.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Empty(_case.Fake.Members);

        await destination.CompleteAsync(CancellationToken.None);
        Assert.Equal(
            new HashSet<string> { Email("dana@example.com"), Email("rosario@example.org"), "hashedPhoneNumber:fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30" },
            _case.Fake.Members);

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Remove, PlatformCase.Rec("1", (IdentifierType.Email, "dana@example.com"))), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        Assert.DoesNotContain(Email("dana@example.com"), _case.Fake.Members);
        Assert.Contains(Email("rosario@example.org"), _case.Fake.Members);
        Assert.Equal(2, _case.Fake.Jobs.Count);
        Assert.All(_case.Fake.Jobs, j => Assert.True(j.Ran));
    }

    [Fact]
    public async Task One_job_per_operation_for_many_batches_of_a_run()
    {
        await using var destination = _case.Create();
        for (var i = 0; i < 3; i++)
            await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(i)), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        var job = Assert.Single(_case.Fake.Jobs);
        Assert.Equal(3, job.AddOperationsRequests);
        Assert.Equal(3, _case.Fake.Members.Count(m => m.StartsWith("hashedEmail:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Address_goes_with_hashed_names_and_plain_country_and_postal_code()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, PlatformCase.Rec("1",
            (IdentifierType.FirstName, " Dana "), (IdentifierType.LastName, "O'Example"), (IdentifierType.Country, "united states"), (IdentifierType.ZipCode, "94043"))), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        var member = Assert.Single(_case.Fake.Members);
        Assert.Equal($"address:{IdentifierHasher.Sha256Hex("dana")}|{IdentifierHasher.Sha256Hex("oexample")}|US|94043", member);
    }

    [Fact]
    public async Task Partial_failures_reject_the_operations_at_their_index_only()
    {
        await using var destination = _case.Create();
        _case.Fake.RejectedValues.Add(IdentifierHasher.Sha256Hex("person2@example.com"));

        var result = await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1), _case.Record(2), _case.Record(3)), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Succeeded], result.Records.Select(r => r.Outcome));
        Assert.Contains("INVALID_SHA256_FORMAT", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.Contains(Email("person1@example.com"), _case.Fake.Members);
        Assert.DoesNotContain(Email("person2@example.com"), _case.Fake.Members);
    }

    [Fact]
    public async Task Prehashed_emails_pass_through_and_developer_token_and_manager_headers_are_sent()
    {
        var hash = IdentifierHasher.Sha256Hex("dana@example.com");
        await using var destination = new GoogleAdsCustomerMatchDestination(new HttpClient(), _case.Settings() with { LoginCustomerId = "123-456-7890" }, _case.Time);
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, PlatformCase.Rec("1", (IdentifierType.Email, hash.ToUpperInvariant()))), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        Assert.Equal(["hashedEmail:" + hash], _case.Fake.Members);
        Assert.All(_case.Server.Requests, r => Assert.Equal("1234567890", r.Header("login-customer-id")));
    }

    [Fact]
    public async Task Denied_consent_stops_the_sync_as_a_configuration_error()
    {
        await using var destination = new GoogleAdsCustomerMatchDestination(new HttpClient(),
            _case.Settings() with { Consent = new GoogleConsent(ConsentStatus.Denied, ConsentStatus.Granted) }, _case.Time);

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(DestinationErrorClass.AuthOrConfig, error.ErrorClass);
        Assert.Equal("CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", error.VendorCode);
    }

    [Fact]
    public async Task Concurrent_modification_is_transient_even_on_a_400()
    {
        await using var destination = _case.Create();
        _case.Server.Inject(Fault.Status(400, path: ":addOperations", vendorCode: "databaseError:CONCURRENT_MODIFICATION"));

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
    }

    [Fact]
    public async Task Not_allowlisted_developer_tokens_are_told_to_use_data_manager_as_a_configuration_error()
    {
        await using var destination = _case.Create();
        _case.Server.Inject(Fault.Status(403, path: ":create", vendorCode: "offlineUserDataJobError:CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE"));

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None));

        Assert.Equal(DestinationErrorClass.AuthOrConfig, error.ErrorClass);
        Assert.Equal("CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE", error.VendorCode);
    }

    [Fact]
    public async Task A_job_run_more_than_five_days_after_creation_fails_permanently()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);
        _case.Time.Advance(TimeSpan.FromDays(6));

        var error = await Assert.ThrowsAsync<DestinationException>(() => destination.CompleteAsync(CancellationToken.None));

        Assert.Equal(DestinationErrorClass.Permanent, error.ErrorClass);
        Assert.Empty(_case.Fake.Members);
    }

    [Fact]
    public void Descriptor_keeps_a_request_within_the_recommended_identifier_count()
    {
        var destination = _case.Create();
        Assert.Equal(2_000, destination.Descriptor.MaxRecordsPerBatch);
        Assert.Equal(1, destination.Descriptor.MaxConcurrentRequests);
        Assert.Equal([BatchOperation.Add, BatchOperation.Remove], destination.Descriptor.Operations.ToArray());
    }
}

public sealed class GoogleAdsJobLifecycleTests : IAsyncLifetime
{
    private readonly GoogleAdsCase _case = new();

    public Task InitializeAsync() => _case.StartAsync();

    public async Task DisposeAsync() => await _case.DisposeAsync();

    [Fact]
    public async Task A_transient_run_failure_keeps_the_job_for_a_retry_of_complete()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);
        _case.Server.Inject(Fault.Status(503, path: ":run"));

        await Assert.ThrowsAsync<DestinationException>(() => destination.CompleteAsync(CancellationToken.None));
        await destination.CompleteAsync(CancellationToken.None);

        Assert.Single(_case.Fake.Jobs);
        Assert.Equal(["hashedEmail:" + IdentifierHasher.Sha256Hex("person1@example.com"), "thirdPartyUserId:crm-1"], _case.Fake.Members.Order());
    }

    [Fact]
    public async Task A_job_that_can_no_longer_run_is_replaced_by_a_new_one_next_run()
    {
        await using var destination = _case.Create();
        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);
        _case.Time.Advance(TimeSpan.FromDays(6));
        await Assert.ThrowsAsync<DestinationException>(() => destination.CompleteAsync(CancellationToken.None));

        await destination.SendAsync(PlatformCase.Batch(BatchOperation.Add, _case.Record(1)), CancellationToken.None);
        await destination.CompleteAsync(CancellationToken.None);

        Assert.Equal(2, _case.Fake.Jobs.Count);
        Assert.Equal(2, _case.Fake.Members.Count);
    }

    [Fact]
    public void The_connector_exposes_its_profile_for_the_match_rate_report()
    {
        var destination = (IIdentifierProfileSource)_case.Create();
        var report = MatchRateReport.Compute([_case.Record(1), PlatformCase.Rec("x", (IdentifierType.Phone, "12"))], destination.IdentifierProfile!);
        Assert.Equal((2, 1, 1), (report.Records, report.Usable, report.Invalid));
    }
}
