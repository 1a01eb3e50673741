using System.Net;
using System.Text.Json.Nodes;
using Cohort.Server.Security;
using Cohort.Server.Store;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Api;

/// <summary>Restoring old versions of destinations and syncs over the API; one subclass per store.</summary>
public abstract class DefinitionRestoreTests<TStore>(ServerFixture<TStore> fx) where TStore : IStoreProvider, new()
{
    private async Task<List<AuditEntry>> AuditAsync() => await fx.Server.Services.GetRequiredService<AuditLog>().ReadAsync(500);

    private async Task CreateFileDestinationAsync(string name)
    {
        var created = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin",
            new { name, type = "file", settings = new { path = Path.Combine(Path.GetTempPath(), "cohort-never-written", name) } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static object Sync(string name, string destination, string cron) => new
    {
        name, audience = "high_value", destination, mode = "mirror",
        fields = new { first_name = "first_name" }, identifiers = new { email = "email" },
        schedule = new { cron },
    };

    private async Task SendOkAsync(HttpMethod method, string path, string user, object body)
    {
        var response = await fx.SendAsync(method, path, user, body);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<int> VersionCountAsync(string path) => (await fx.GetJsonAsync(path, "viewer")).AsArray().Count;

    [Fact]
    public async Task An_old_sync_version_is_restored_as_a_new_version_with_its_schedule_and_is_audited()
    {
        await CreateFileDestinationAsync("rs_sheet");
        await SendOkAsync(HttpMethod.Post, "/api/syncs", "marketer", Sync("rs_sync", "rs_sheet", "0 6 * * *"));
        var v1 = (await fx.GetJsonAsync("/api/syncs/rs_sync/versions/1", "viewer"))["content"]!.GetValue<string>();
        await SendOkAsync(HttpMethod.Put, "/api/syncs/rs_sync", "engineer", Sync("rs_sync", "rs_sheet", "30 7 * * 1-5"));

        var restore = await fx.SendAsync(HttpMethod.Post, "/api/syncs/rs_sync/versions/1/restore", "marketer");
        Assert.True(restore.StatusCode == HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await restore.Content.ReadAsStringAsync())!;
        Assert.Equal(3, body["version"]!.GetValue<int>());
        Assert.Equal(v1, body["content"]!.GetValue<string>());
        Assert.Equal("0 6 * * *", body["schedule"]!["cron"]!.GetValue<string>());
        Assert.Equal("0 6 * * *", body["job"]!["schedule"]!["cron"]!.GetValue<string>());
        var v3 = await fx.GetJsonAsync("/api/syncs/rs_sync/versions/3", "viewer");
        Assert.Equal("restored from version 1", v3["comment"]!.GetValue<string>());
        Assert.Equal("marketer", v3["author"]!.GetValue<string>());
        Assert.Contains("0 6 * * *", v3["diff"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(await AuditAsync(), e => e.Action == "sync.restore" && e.TargetName == "rs_sync");
        Assert.Equal("marketer", entry.Actor);
        Assert.Equal(AuditOutcomes.Ok, entry.Outcome);
        Assert.Equal("restored version 1 as version 3", entry.Detail);
    }

    [Fact]
    public async Task A_sync_version_whose_destination_is_gone_is_refused_and_nothing_changes()
    {
        await CreateFileDestinationAsync("rs_old_dest");
        await CreateFileDestinationAsync("rs_new_dest");
        await SendOkAsync(HttpMethod.Post, "/api/syncs", "marketer", Sync("rs_moved", "rs_old_dest", "0 6 * * *"));
        await SendOkAsync(HttpMethod.Put, "/api/syncs/rs_moved", "marketer", Sync("rs_moved", "rs_new_dest", "0 6 * * *"));
        Assert.Equal(HttpStatusCode.NoContent, (await fx.SendAsync(HttpMethod.Delete, "/api/destinations/rs_old_dest", "admin")).StatusCode);

        var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/rs_moved/versions/1/restore", "marketer"), 400);
        var error = Assert.Single(problem["errors"]!.AsArray(), e => e!["path"]?.GetValue<string>() == "destination")!;
        Assert.Contains("rs_old_dest", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var current = await fx.GetJsonAsync("/api/syncs/rs_moved", "viewer");
        Assert.Equal(2, current["version"]!.GetValue<int>());
        Assert.Equal("rs_new_dest", current["destination"]!.GetValue<string>());
        Assert.Equal(2, await VersionCountAsync("/api/syncs/rs_moved/versions"));
        Assert.DoesNotContain(await AuditAsync(), e => e.Action == "sync.restore" && e.TargetName == "rs_moved");
    }

    [Fact]
    public async Task A_viewer_cannot_restore_a_sync_nor_a_marketer_a_destination_and_each_attempt_is_audited()
    {
        await CreateFileDestinationAsync("rs_guarded");
        await SendOkAsync(HttpMethod.Put, "/api/destinations/rs_guarded", "admin", new { name = "rs_guarded", type = "file", description = "v2", settings = new { path = "elsewhere" } });
        await SendOkAsync(HttpMethod.Post, "/api/syncs", "marketer", Sync("rs_guarded_sync", "rs_guarded", "0 6 * * *"));
        await SendOkAsync(HttpMethod.Put, "/api/syncs/rs_guarded_sync", "marketer", Sync("rs_guarded_sync", "rs_guarded", "0 7 * * *"));

        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/rs_guarded_sync/versions/1/restore", "viewer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations/rs_guarded/versions/1/restore", "viewer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations/rs_guarded/versions/1/restore", "marketer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations/rs_guarded/versions/1/restore", "engineer"), 403);
        var denied = (await AuditAsync()).Where(e => e.Outcome == AuditOutcomes.Denied).Select(e => (e.Actor, e.Action, e.TargetName)).ToList();
        Assert.Contains(("viewer", "sync.restore", "rs_guarded_sync"), denied);
        Assert.Contains(("viewer", "destination.restore", "rs_guarded"), denied);
        Assert.Contains(("marketer", "destination.restore", "rs_guarded"), denied);
        Assert.Equal(2, await VersionCountAsync("/api/syncs/rs_guarded_sync/versions"));
        Assert.Equal(2, await VersionCountAsync("/api/destinations/rs_guarded/versions"));
    }

    [Fact]
    public async Task Unknown_names_and_versions_and_deletions_are_problems()
    {
        await CreateFileDestinationAsync("rs_known");
        foreach (var path in new[] { "/api/syncs/nope/versions/1/restore", "/api/destinations/nope/versions/1/restore", "/api/destinations/rs_known/versions/99/restore" })
        {
            var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, path, "admin"), 404);
            Assert.EndsWith("/not-found", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/destinations/rs_known/versions/99", "viewer"), 404);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/syncs/nope/versions/1", "viewer"), 404);

        await SendOkAsync(HttpMethod.Post, "/api/syncs", "marketer", Sync("rs_deleted", "rs_known", "0 6 * * *"));
        Assert.Equal(HttpStatusCode.NoContent, (await fx.SendAsync(HttpMethod.Delete, "/api/syncs/rs_deleted", "marketer")).StatusCode);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/rs_deleted/versions/2/restore", "marketer"), 400);
        // The version before the deletion brings the sync back.
        var back = await fx.SendAsync(HttpMethod.Post, "/api/syncs/rs_deleted/versions/1/restore", "marketer");
        Assert.True(back.StatusCode == HttpStatusCode.OK, await back.Content.ReadAsStringAsync());
        Assert.Equal(3, (await fx.GetJsonAsync("/api/syncs/rs_deleted", "viewer"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_destination_version_is_restored_with_its_secrets_kept_encrypted_and_never_returned()
    {
        const string secret = "sk_restore_do_not_leak_7";
        var vault = fx.Server.Services.GetRequiredService<SecretVault>();
        await SendOkAsync(HttpMethod.Post, "/api/destinations", "admin", new
        {
            name = "rs_crm", type = "webhook", settings = new { url = "https://example.invalid/v1", secret = new { secret = "signing" } },
            secrets = new { signing = secret },
        });
        await SendOkAsync(HttpMethod.Put, "/api/destinations/rs_crm", "admin", new
        {
            name = "rs_crm", type = "webhook", settings = new { url = "https://example.invalid/v2", secret = new { secret = "signing" } },
        });

        var restore = await fx.SendAsync(HttpMethod.Post, "/api/destinations/rs_crm/versions/1/restore", "admin");
        var text = await restore.Content.ReadAsStringAsync();
        Assert.True(restore.StatusCode == HttpStatusCode.OK, text);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(3, body["version"]!.GetValue<int>());
        Assert.Equal("https://example.invalid/v1", body["definition"]!["settings"]!["url"]!.GetValue<string>());
        Assert.True(body["secrets"]![0]!["set"]!.GetValue<bool>());
        Assert.Equal(secret, await vault.RevealAsync("rs_crm", "signing"));
        Assert.Contains(await AuditAsync(), e => e.Action == "destination.restore" && e.TargetName == "rs_crm" && e.Actor == "admin"
                                                  && e.Detail == "restored version 1 as version 3");
        var everything = text + await (await fx.SendAsync(HttpMethod.Get, "/api/destinations/rs_crm/versions", "admin")).Content.ReadAsStringAsync()
                              + await (await fx.SendAsync(HttpMethod.Get, "/api/audit", "admin")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);

        // Secrets are not versioned: once a save drops the reference, the value is gone, and restoring says it must be set again.
        await SendOkAsync(HttpMethod.Put, "/api/destinations/rs_crm", "admin", new { name = "rs_crm", type = "webhook", settings = new { url = "https://example.invalid/v4", secret = new { env = "RS_CRM_SIGNING" } } });
        Assert.Null(await vault.RevealAsync("rs_crm", "signing"));
        var again = JsonNode.Parse(await (await fx.SendAsync(HttpMethod.Post, "/api/destinations/rs_crm/versions/1/restore", "admin")).Content.ReadAsStringAsync())!;
        Assert.Equal(5, again["version"]!.GetValue<int>());
        Assert.False(again["secrets"]![0]!["set"]!.GetValue<bool>());
        Assert.Contains(await AuditAsync(), e => e.Action == "destination.restore" && e.TargetName == "rs_crm" && e.Detail == "restored version 1 as version 5; secrets not set: signing");
    }
}

public sealed class SqliteDefinitionRestoreTests(SqliteServerFixture fx) : DefinitionRestoreTests<SqliteStoreProvider>(fx), IClassFixture<SqliteServerFixture>;

public sealed class PostgresDefinitionRestoreTests(PostgresServerFixture fx) : DefinitionRestoreTests<PostgresStoreProvider>(fx), IClassFixture<PostgresServerFixture>;
