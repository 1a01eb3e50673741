using System.Text;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Webhook;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;
using Cohort.Testing.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Sync.Tests;

/// <summary>
/// The webhook destination end to end against a loopback receiver that enforces the contract (signature, timestamp,
/// shape, batch size), with the fault matrix: 429 with Retry-After, 500, timeout, connection reset, malformed
/// response, partial batch failure, oversize batch, expired credentials.
/// </summary>
public sealed class WebhookTests(DuckDbEngine engine) : IClassFixture<DuckDbEngine>, IAsyncLifetime
{
    private const string Secret = "whsec-test-1234";
    private FakeWebhookServer _server = null!;
    private readonly FakeTimeProvider _serverTime = new(Harness.Start);

    public async Task InitializeAsync() => _server = await FakeWebhookServer.StartAsync(Secret, _serverTime, maxBatchSize: 10);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(Harness Harness, SyncEngine Engine)> Setup(string settings = "", Dictionary<string, string>? env = null, int people = 60)
    {
        var h = await Harness.CreateAsync(engine, "audience: active\ndestination: hook\nmode: mirror\nfields: {email: email, score: score}\nidentifiers: {email: email}\nexclude: [unsubscribed]\n",
            people: people,
            files: f => f.Destination("hook", $"type: webhook\nsettings:\n  url: {_server.Url}\n  secret: {{env: HOOK_SECRET}}\n  batch_size: 10\n  timeout_seconds: 1\n{settings}"));
        var variables = new Dictionary<string, string>(env ?? []) { ["HOOK_SECRET"] = Secret };
        var syncEngine = new SyncEngine(h.Warehouse, h.Project, h.Catalog, h.Time, new SyncEngineOptions
        {
            State = h.State,
            Secrets = new SecretResolver(name => variables.GetValueOrDefault(name)),
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(1) },
        });
        return (h, syncEngine);
    }

    private static async Task<SyncRunRecord> Run(Harness h, SyncEngine syncEngine)
    {
        var run = syncEngine.RunAsync(h.Sync, h.Options());
        await Clock.AdvanceUntilDone(h.Time, run);
        return await run;
    }

    private async Task AssertReceiverHoldsAudience(Harness h) =>
        Assert.Equal(await h.ExpectedAsync(), new SortedSet<string>(_server.State.Keys, StringComparer.Ordinal));

    [Fact]
    public async Task Batches_are_signed_sized_and_applied_by_the_receiver()
    {
        var (h, e) = await Setup();
        await using var _ = h;
        var run = await Run(h, e);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(0, _server.ContractViolations);
        Assert.Equal((int)Math.Ceiling(run.Counts.Planned / 10.0), _server.Requests);
        await AssertReceiverHoldsAudience(h);
        Assert.Contains("\"email\":\"user1@example.com\"", _server.State["1"], StringComparison.Ordinal);

        await h.ExecuteAsync("UPDATE people SET active = FALSE WHERE id IN (1, 2); UPDATE people SET score = 5 WHERE id = 4");
        await Run(h, e);
        await AssertReceiverHoldsAudience(h);
        Assert.Contains("\"score\":5", _server.State["4"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out()
    {
        var (h, e) = await Setup();
        await using var _ = h;
        _server.Fault = n => n == 1 ? new WebhookFault.TooManyRequests(20) : null;
        var before = h.Time.GetUtcNow();
        var run = await Run(h, e);
        Assert.Equal((RunStatus.Succeeded, 1L), (run.Status, run.Counts.Retries));
        Assert.True(h.Time.GetUtcNow() - before >= TimeSpan.FromSeconds(20));
        await AssertReceiverHoldsAudience(h);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_retried(int status)
    {
        var (h, e) = await Setup();
        await using var _ = h;
        _server.Fault = n => n <= 2 ? new WebhookFault.Status(status) : null;
        var run = await Run(h, e);
        Assert.Equal((RunStatus.Succeeded, 2L), (run.Status, run.Counts.Retries));
        await AssertReceiverHoldsAudience(h);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_is_retried()
    {
        var (h, e) = await Setup(people: 12);
        await using var _ = h;
        _server.Fault = n => n == 1 ? new WebhookFault.Hang(TimeSpan.FromSeconds(10)) : null;
        var run = await Run(h, e);
        Assert.Equal((RunStatus.Succeeded, 1L), (run.Status, run.Counts.Retries));
        await AssertReceiverHoldsAudience(h);
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        var (h, e) = await Setup();
        await using var _ = h;
        _server.Fault = n => n is 1 or 3 ? new WebhookFault.ResetConnection() : null;
        var run = await Run(h, e);
        Assert.Equal((RunStatus.Succeeded, 2L), (run.Status, run.Counts.Retries));
        await AssertReceiverHoldsAudience(h);
    }

    [Fact]
    public async Task A_malformed_response_is_not_taken_as_confirmation()
    {
        var (h, e) = await Setup();
        await using var _ = h;
        _server.Fault = n => n == 1 ? new WebhookFault.MalformedBody() : null;
        var run = await Run(h, e);
        Assert.Equal((RunStatus.Succeeded, 1L), (run.Status, run.Counts.Retries));
        await AssertReceiverHoldsAudience(h);
    }

    [Fact]
    public async Task Records_the_receiver_rejects_fail_alone_with_its_reason()
    {
        var (h, e) = await Setup();
        await using var _ = h;
        _server.RejectRecord = key => key == "11";
        var run = await Run(h, e);
        Assert.Equal((RunStatus.CompletedWithErrors, 1L), (run.Status, run.Counts.FailedRejected));
        var row = Assert.Single((await e.ErrorsAsync("subject")).Rows);
        Assert.Equal(("11", "the receiver refused this record"), (row.Key, row.Reason));
        _server.RejectRecord = null;
        await Run(h, e);
        await AssertReceiverHoldsAudience(h);
    }

    [Fact]
    public async Task An_oversize_batch_is_split_until_the_receiver_accepts_it()
    {
        var (h, e) = await Setup(people: 30);
        await using var _ = h;
        var server = await FakeWebhookServer.StartAsync(Secret, _serverTime, maxBatchSize: 3);
        await using (server)
        {
            h.Files.Destination("hook", $"type: webhook\nsettings:\n  url: {server.Url}\n  secret: {{env: HOOK_SECRET}}\n  batch_size: 10\n");
            var project = h.Files.Load();
            var sync = Definitions.SyncProject.Bind(project, h.Catalog).Find("subject")!;
            var syncEngine = new SyncEngine(h.Warehouse, project, h.Catalog, h.Time, new SyncEngineOptions
            {
                State = h.State,
                Secrets = new SecretResolver(n => n == "HOOK_SECRET" ? Secret : null),
            });
            var run = await syncEngine.RunAsync(sync, h.Options());
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Equal(await h.ExpectedAsync(), new SortedSet<string>(server.State.Keys, StringComparer.Ordinal));
            Assert.True(server.ContractViolations > 0, "the receiver refused the first, oversize batches");
        }
    }

    [Fact]
    public async Task Expired_credentials_stop_the_sync_after_one_request()
    {
        var (h, e) = await Setup("  headers:\n    Authorization: {env: HOOK_TOKEN}\n", new Dictionary<string, string> { ["HOOK_TOKEN"] = "Bearer expired" });
        await using var _ = h;
        _server.RequiredAuthorization = "Bearer fresh";
        var run = await Run(h, e);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("refused the credentials (HTTP 401)", run.Error, StringComparison.Ordinal);
        Assert.InRange(_server.Requests, 1, 2); // max_concurrency (2) requests may be in flight when the first answer comes
        Assert.Equal((run.Counts.Planned, 0L), (run.Counts.Pending, run.Counts.Retries));
    }

    [Fact]
    public async Task A_wrong_signing_secret_is_refused_and_stops_the_sync()
    {
        var (h, _) = await Setup();
        await using var __ = h;
        var wrong = new SyncEngine(h.Warehouse, h.Project, h.Catalog, h.Time, new SyncEngineOptions
        {
            State = h.State,
            Secrets = new SecretResolver(n => n == "HOOK_SECRET" ? "not-the-secret" : null),
        });
        var run = await Run(h, wrong);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.InRange(_server.ContractViolations, 1, 2);
    }

    [Fact]
    public async Task A_missing_secret_variable_fails_the_run_naming_the_variable()
    {
        var (h, _) = await Setup();
        await using var __ = h;
        var unset = new SyncEngine(h.Warehouse, h.Project, h.Catalog, h.Time, new SyncEngineOptions { State = h.State, Secrets = new SecretResolver(_ => null) });
        var run = await unset.RunAsync(h.Sync, h.Options());
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("HOOK_SECRET", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body()
    {
        // Computed outside .NET: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        const string expected = "v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
        Assert.Equal(expected, WebhookSignature.Compute("secret", "1700000000", body));
        Assert.True(WebhookSignature.Verify("secret", "1700000000", body, expected));
        Assert.False(WebhookSignature.Verify("secret", "1700000001", body, expected));
    }

    [Fact]
    public void Response_bodies_are_read_per_record_or_as_a_whole()
    {
        var batch = new DestinationBatch(BatchOperation.Upsert, [OutboundRecord.Of("a"), OutboundRecord.Of("b"), OutboundRecord.Of("c")]);
        Assert.All(WebhookResponse.Parse("d", batch, [], null).Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.All(WebhookResponse.Parse("d", batch, "OK"u8.ToArray(), "text/plain").Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        var mixed = WebhookResponse.Parse("d", batch, """{"results":[{"key":"a","status":"ok"},{"key":"b","status":"rejected","reason":"bad"}]}"""u8.ToArray(), "application/json");
        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Pending], mixed.Records.Select(r => r.Outcome));
        Assert.Equal("bad", mixed.Records[1].Reason);
        var error = Assert.Throws<DestinationException>(() => WebhookResponse.Parse("d", batch, "{\"results\": ["u8.ToArray(), "application/json"));
        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
    }
}
