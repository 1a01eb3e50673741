using Cohort.Destinations.Abstractions;
using Cohort.Testing.Platforms;

namespace Cohort.Destinations.Tests.Platforms;

/// <summary>Batch limits, invalid records and the fault matrix, for every platform connector against its fake.</summary>
public sealed class SharedConnectorTests
{
    public static TheoryData<string> Platforms => [.. PlatformCases.Names];

    private static async Task<PlatformCase> Start(string name)
    {
        var platform = PlatformCases.Create(name);
        await platform.StartAsync();
        return platform;
    }

    private static async Task<DestinationException> Fails(PlatformCase platform, IDestination destination)
    {
        var batch = PlatformCase.Batch(platform.Operation, platform.Record(1), platform.Record(2));
        return await Assert.ThrowsAsync<DestinationException>(async () =>
        {
            await destination.SendAsync(batch, CancellationToken.None);
            await platform.CompleteAsync(destination);
        });
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_batch_at_the_descriptor_limit_is_accepted_by_the_fake(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        var max = destination.Descriptor.MaxRecordsPerBatch;
        Assert.InRange(max, 1, 100_000);
        var batch = new DestinationBatch(platform.Operation, [.. Enumerable.Range(0, max).Select(platform.Record)]);

        var result = await destination.SendAsync(batch, CancellationToken.None);
        await platform.CompleteAsync(destination);

        Assert.Equal(max, result.Records.Length);
        Assert.All(result.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Equal(batch.Records.Select(r => r.Key), result.Records.Select(r => r.Key));
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_batch_over_the_descriptor_limit_is_refused_before_sending(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        var batch = new DestinationBatch(platform.Operation, [.. Enumerable.Range(0, destination.Descriptor.MaxRecordsPerBatch + 1).Select(platform.Record)]);

        await Assert.ThrowsAsync<ArgumentException>(() => destination.SendAsync(batch, CancellationToken.None));
        Assert.Empty(platform.Server.Requests);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task Unusable_records_are_invalid_with_a_reason_and_the_rest_are_sent(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        var batch = PlatformCase.Batch(platform.Operation, platform.Record(1), platform.Unusable("bad"), platform.Record(2));

        var result = await destination.SendAsync(batch, CancellationToken.None);
        await platform.CompleteAsync(destination);

        Assert.Equal(["k1", "bad", "k2"], result.Records.Select(r => r.Key));
        Assert.Equal(RecordOutcome.Succeeded, result.Records[0].Outcome);
        Assert.Equal(RecordOutcome.Invalid, result.Records[1].Outcome);
        Assert.False(string.IsNullOrWhiteSpace(result.Records[1].Reason));
        Assert.Equal(RecordOutcome.Succeeded, result.Records[2].Outcome);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_batch_of_only_unusable_records_sends_nothing(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();

        var result = await destination.SendAsync(PlatformCase.Batch(platform.Operation, platform.Unusable("a"), platform.Unusable("b")), CancellationToken.None);

        Assert.All(result.Records, r => Assert.Equal(RecordOutcome.Invalid, r.Outcome));
        Assert.Empty(platform.Server.Requests);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task Wrong_credentials_are_an_auth_or_config_error(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create(wrongCredentials: true);

        var error = await Fails(platform, destination);

        Assert.Equal(DestinationErrorClass.AuthOrConfig, error.ErrorClass);
        Assert.False(error.IsTransient);
        // Meta answers 400 with OAuthException 190; TikTok answers HTTP 200 with an error code in its envelope.
        Assert.True(error.StatusCode is 200 or (>= 400 and <= 403), $"status {error.StatusCode}");
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_429_is_transient_and_carries_retry_after(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Status(429, TimeSpan.FromSeconds(7), platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task Server_errors_are_transient(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Status(500, path: platform.DataPath));
        platform.Server.Inject(Fault.Status(503, path: platform.DataPath));

        var first = await Fails(platform, destination);
        var second = await Fails(platform, destination);

        Assert.Equal((DestinationErrorClass.Transient, 500), (first.ErrorClass, first.StatusCode));
        Assert.Equal((DestinationErrorClass.Transient, 503), (second.ErrorClass, second.StatusCode));
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_timeout_is_transient(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create(new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) });
        platform.Server.Inject(Fault.Hang(platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
        Assert.Null(error.StatusCode);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_connection_reset_is_transient(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Reset(platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_malformed_success_body_is_transient(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Malformed(platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
        Assert.Equal(200, error.StatusCode);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task A_400_on_the_batch_is_permanent(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Status(400, path: platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.Equal((DestinationErrorClass.Permanent, 400), (error.ErrorClass, error.StatusCode));
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task Injected_401_and_403_are_auth_or_config(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Status(401, path: platform.DataPath));
        platform.Server.Inject(Fault.Status(403, path: platform.DataPath));

        Assert.Equal(DestinationErrorClass.AuthOrConfig, (await Fails(platform, destination)).ErrorClass);
        Assert.Equal(DestinationErrorClass.AuthOrConfig, (await Fails(platform, destination)).ErrorClass);
    }

    [Theory, MemberData(nameof(Platforms))]
    public async Task Exception_messages_carry_no_record_data(string name)
    {
        await using var platform = await Start(name);
        await using var destination = platform.Create();
        platform.Server.Inject(Fault.Status(400, path: platform.DataPath));

        var error = await Fails(platform, destination);

        Assert.DoesNotContain("example.com", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("injected fault", error.Message, StringComparison.Ordinal);
    }
}
