using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cohort.Server.Scheduling;
using Cohort.Server.Store;
using Cohort.Server.Tests.Infrastructure;
using Cohort.Testing.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Api;

/// <summary>Syncs run by the server with the sync engine, end to end: stored definitions, the secret store, a loopback webhook, the run records.</summary>
public abstract class SyncRunTests<TStore>(ServerFixture<TStore> fx) where TStore : IStoreProvider, new()
{
    private const string SigningKey = "loopback-signing-key";

    [Fact]
    public async Task A_triggered_sync_delivers_rows_to_a_webhook_with_the_stored_secret_and_the_run_is_recorded()
    {
        await using var hook = await FakeWebhookServer.StartAsync(SigningKey);
        var destination = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", raw: $$"""
            name: loopback
            type: webhook
            settings:
              url: {{hook.Url}}
              secret: {secret: signing}
              batch_size: 50
            secrets: {signing: {{SigningKey}}}
            """, contentType: "application/yaml");
        Assert.True(destination.StatusCode == HttpStatusCode.Created, await destination.Content.ReadAsStringAsync());
        var sync = await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", new
        {
            name = "hv_to_loopback", audience = "high_value", destination = "loopback", mode = "upsert",
            fields = new { first_name = "first_name", country = "country", lifetime_value = new { trait = "lifetime_value" } },
            identifiers = new { email = "email" },
        });
        Assert.True(sync.StatusCode == HttpStatusCode.Created, await sync.Content.ReadAsStringAsync());

        // Dry run: the plan, PII masked for a marketer, nothing sent.
        var plan = await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_loopback/dry-run?sample=5", "marketer");
        var planBody = (await plan.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(plan.StatusCode == HttpStatusCode.OK, planBody.ToJsonString());
        var planned = planBody["planned"]!.GetValue<long>();
        Assert.True(planned > 0);
        Assert.Equal(planned, planBody["added"]!.GetValue<long>());
        Assert.Equal(planned, planBody["operations"]!["upsert"]!.GetValue<long>());
        Assert.True(planBody["masked"]!.GetValue<bool>());
        var sample = planBody["sample"]!.AsArray();
        Assert.Equal(Math.Min(5, planned), sample.Count);
        Assert.All(sample, r => Assert.Contains("•••", r!["identifiers"]!["email"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(0, hook.Requests);
        var admin = (await (await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_loopback/dry-run?sample=1", "admin")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.EndsWith("@example.com", admin["sample"]![0]!["identifiers"]!["email"]!.GetValue<string>(), StringComparison.Ordinal);

        // One record is refused by the receiver: the run completes with errors, and the row's reason is kept.
        var rejected = sample[0]!["key"]!.GetValue<string>();
        hook.RejectRecord = key => key == rejected;
        Assert.Equal(HttpStatusCode.Accepted, (await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_loopback/trigger", "marketer")).StatusCode);
        Assert.Contains("hv_to_loopback", await fx.Server.Services.GetRequiredService<SyncScheduler>().TickAsync());
        var run = (await fx.GetJsonAsync("/api/syncs/hv_to_loopback/runs", "viewer")).AsArray().Single()!;
        Assert.Equal(RunStatuses.CompletedWithErrors, run["status"]!.GetValue<string>());
        Assert.Equal("engine", run["runner"]!.GetValue<string>());
        var result = run["result"]!;
        Assert.Equal(planned, result["planned"]!.GetValue<long>());
        Assert.Equal(planned - 1, result["succeeded"]!.GetValue<long>());
        Assert.Equal(1, result["failed"]!.GetValue<long>());
        Assert.Equal(planned, result["succeeded"]!.GetValue<long>() + result["failed"]!.GetValue<long>() + result["skipped"]!.GetValue<long>() + result["pending"]!.GetValue<long>());
        Assert.Equal(planned - 1, hook.State.Count);
        Assert.Equal(0, hook.ContractViolations); // signed with the secret from the store
        var errors = await fx.GetJsonAsync($"/api/runs/{run["id"]}/errors", "viewer");
        var row = Assert.Single(errors["rows"]!.AsArray())!;
        Assert.Equal(rejected, row["key"]!.GetValue<string>());
        Assert.Equal("rejected", row["outcome"]!.GetValue<string>());

        // Run now (waiting for it): only the refused row is planned again, and it goes through.
        hook.RejectRecord = null;
        var again = await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_loopback/trigger?wait=true", "marketer");
        var second = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(again.StatusCode == HttpStatusCode.OK, second.ToJsonString());
        Assert.Equal(RunStatuses.Succeeded, second["status"]!.GetValue<string>());
        Assert.Equal("manual", second["trigger"]!.GetValue<string>());
        Assert.Equal(1, second["result"]!["planned"]!.GetValue<long>());
        Assert.Equal(1, second["result"]!["succeeded"]!.GetValue<long>());
        Assert.Equal(planned, hook.State.Count);
        Assert.Empty((await fx.GetJsonAsync($"/api/runs/{second["id"]}/errors", "viewer"))["rows"]!.AsArray());
        Assert.Equal(2, (await fx.GetJsonAsync("/api/syncs/hv_to_loopback/runs", "viewer")).AsArray().Count);
        var job = (await fx.GetJsonAsync("/api/syncs/hv_to_loopback", "viewer"))["job"]!;
        Assert.Equal(RunStatuses.Succeeded, job["lastStatus"]!.GetValue<string>());
        Assert.Null(job["leaseOwner"]?.GetValue<string>());
        Assert.Contains(await fx.Server.Services.GetRequiredService<AuditLog>().ReadAsync(200), e => e.Action == "sync.run" && e.TargetName == "hv_to_loopback");
    }

    [Fact]
    public async Task A_sync_whose_secret_is_not_set_fails_with_a_message_naming_it_and_sends_nothing()
    {
        await using var hook = await FakeWebhookServer.StartAsync(SigningKey);
        Assert.Equal(HttpStatusCode.Created, (await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new
        {
            name = "unsigned", type = "webhook", settings = new { url = hook.Url.ToString(), secret = new { secret = "missing_key" } },
        })).StatusCode);
        var listed = await fx.GetJsonAsync("/api/destinations/unsigned", "viewer");
        Assert.False(listed["secrets"]![0]!["set"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Created, (await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", new
        {
            name = "to_unsigned", audience = "high_value", destination = "unsigned", mode = "upsert", identifiers = new { email = "email" },
        })).StatusCode);
        var response = await fx.SendAsync(HttpMethod.Post, "/api/syncs/to_unsigned/trigger?wait=true", "marketer");
        var run = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(RunStatuses.Failed, run["status"]!.GetValue<string>());
        Assert.Contains("missing_key", run["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, hook.Requests);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/to_unsigned/trigger?wait=true", "viewer"), 403);
    }
}

public sealed class SqliteSyncRunTests(SqliteServerFixture fx) : SyncRunTests<SqliteStoreProvider>(fx), IClassFixture<SqliteServerFixture>;

public sealed class PostgresSyncRunTests(PostgresServerFixture fx) : SyncRunTests<PostgresStoreProvider>(fx), IClassFixture<PostgresServerFixture>;
