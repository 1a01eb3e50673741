using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cohort.Server.Store;
using Cohort.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Api;

/// <summary>The REST API against a real server and a real metadata store; one subclass per store.</summary>
public abstract class ApiTests<TStore>(ServerFixture<TStore> fx) where TStore : IStoreProvider, new()
{
    private const string Recent = """{"name":"%NAME%","model":"customers","labels":["test"],"condition":{"all":[{"event":"Order Completed","within_last":"30 days"},{"property":"country","in":["GB","US"]}]}}""";

    private static string Audience(string name) => Recent.Replace("%NAME%", name, StringComparison.Ordinal);

    private async Task<List<AuditEntry>> AuditAsync() =>
        await fx.Server.Services.GetRequiredService<AuditLog>().ReadAsync(500);

    [Fact]
    public async Task Imported_project_audiences_are_listed_with_owner_and_folder()
    {
        var list = (await fx.GetJsonAsync("/api/audiences", "viewer")).AsArray();
        var names = list.Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("high_value", names);
        Assert.Contains("cart_abandoners", names);
        var cart = list.First(a => a!["name"]!.GetValue<string>() == "cart_abandoners")!;
        Assert.Equal("lifecycle", cart["folder"]!.GetValue<string>());
        Assert.Equal("system", cart["owner"]!.GetValue<string>());
        Assert.True(cart["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Audience_saves_are_versions_with_author_and_diff_and_an_old_version_can_be_restored()
    {
        var create = await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: Audience("api_versions"));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var changed = Audience("api_versions").Replace("30 days", "7 days", StringComparison.Ordinal);
        var update = await fx.SendAsync(HttpMethod.Put, "/api/audiences/api_versions?expectedVersion=1", "engineer", raw: changed);
        Assert.True(update.StatusCode == HttpStatusCode.OK, await update.Content.ReadAsStringAsync());

        var versions = (await fx.GetJsonAsync("/api/audiences/api_versions/versions", "viewer")).AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal("engineer", versions[0]!["author"]!.GetValue<string>());
        Assert.Equal("marketer", versions[1]!["author"]!.GetValue<string>());
        var diff = versions[0]!["diff"]!.GetValue<string>();
        Assert.Contains("-", diff, StringComparison.Ordinal);
        Assert.Contains("+", diff, StringComparison.Ordinal);
        Assert.Contains("7 days", diff, StringComparison.Ordinal);

        var stale = await fx.SendAsync(HttpMethod.Put, "/api/audiences/api_versions?expectedVersion=1", "marketer", raw: Audience("api_versions"));
        await Problem.AssertAsync(stale, 409);

        var restore = await fx.SendAsync(HttpMethod.Post, "/api/audiences/api_versions/versions/1/restore", "marketer");
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var current = await fx.GetJsonAsync("/api/audiences/api_versions", "viewer");
        Assert.Equal(3, current["version"]!.GetValue<int>());
        Assert.Contains("30 days", current["yaml"]!.GetValue<string>(), StringComparison.Ordinal);
        var v3 = await fx.GetJsonAsync("/api/audiences/api_versions/versions/3", "viewer");
        Assert.Equal("restored from version 1", v3["comment"]!.GetValue<string>());
        Assert.Contains(await AuditAsync(), e => e.Action == "audience.restore" && e.TargetName == "api_versions" && e.Actor == "marketer");
    }

    [Fact]
    public async Task Invalid_audience_json_is_a_400_with_diagnostics_and_nothing_is_stored()
    {
        var response = await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: "{\"name\": \"broken_json\", \"model\": ");
        var problem = await Problem.AssertAsync(response, 400);
        var error = problem["errors"]!.AsArray()[0]!;
        Assert.StartsWith("COH", error["code"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(error["line"]!.GetValue<int>() >= 1);
        Assert.True(error["column"]!.GetValue<int>() >= 1);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audiences/broken_json", "viewer"), 404);
    }

    [Fact]
    public async Task Definition_errors_carry_code_path_and_suggestions_like_the_cli()
    {
        // Syntax problems are reported first (as the CLI does); binding problems once the document reads.
        var badUnit = """{"name":"typo","model":"customers","condition":{"all":[{"property":"country","equals":"GB"},{"event":"Order Completed","within_last":"30 dayz"}]}}""";
        var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: badUnit), 400);
        Assert.EndsWith("/invalid-definition", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var unit = Assert.Single(problem["errors"]!.AsArray(), e => e!["path"]?.GetValue<string>() == "condition.all[1].within_last")!;
        Assert.Equal("COH105", unit["code"]!.GetValue<string>());
        Assert.Equal(1, unit["line"]!.GetValue<int>());
        Assert.Equal(["days"], unit["suggestions"]!.AsArray().Select(s => s!.GetValue<string>()));

        var bad = """{"name":"typo","model":"customers","condition":{"all":[{"property":"countr","equals":"GB"},{"trait":"lifetime_valu","gte":5}]}}""";
        problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: bad), 400);
        var errors = problem["errors"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var column = Assert.Single(errors, e => e["path"]!.GetValue<string>().StartsWith("condition.all[0]", StringComparison.Ordinal));
        Assert.Contains("country", column["suggestions"]!.AsArray().Select(s => s!.GetValue<string>()));
        var trait = Assert.Single(errors, e => e["path"]!.GetValue<string>().StartsWith("condition.all[1]", StringComparison.Ordinal));
        Assert.Contains("lifetime_value", trait["suggestions"]!.AsArray().Select(s => s!.GetValue<string>()));
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audiences/typo", "viewer"), 404);

        var validate = await fx.SendAsync(HttpMethod.Post, "/api/audiences/validate", "viewer", raw: bad);
        var result = (await validate.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(result["valid"]!.GetValue<bool>());
        Assert.Equal(2, result["diagnostics"]!.AsArray().Count);
    }

    [Fact]
    public async Task Yaml_bodies_are_accepted_and_stored_as_written()
    {
        var yaml = "# kept comment\nname: yaml_body\nmodel: customers\ncondition: {property: plan, equals: pro}\n";
        var response = await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: yaml, contentType: "application/yaml");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await fx.GetJsonAsync("/api/audiences/yaml_body", "viewer");
        Assert.Equal(yaml, stored["yaml"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        foreach (var path in new[] { "/api/audiences/nope", "/api/audiences/nope/versions", "/api/audiences/high_value/versions/999", "/api/syncs/nope",
                     "/api/destinations/nope", "/api/audiences/nope/sql", "/api/schema/models/nope/columns/x/values" })
            await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, path, "viewer"), 404);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Delete, "/api/tokens/tok_unknown", "viewer"), 404);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences/nope/versions/1/restore", "marketer"), 404);
    }

    [Fact]
    public async Task Oversize_payloads_are_refused_with_413_and_nothing_is_stored()
    {
        var huge = Audience("too_big").Replace("\"labels\":[\"test\"]", "\"description\":\"" + new string('x', 300_000) + "\"", StringComparison.Ordinal);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: huge, expectContinue: true), 413);
        // Past Kestrel's own limit too (1 MiB): still a clear 413, not a dropped connection.
        var response = await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: new string(' ', 2 * 1024 * 1024), expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audiences/too_big", "viewer"), 404);
    }

    [Fact]
    public async Task A_marketer_calling_admin_endpoints_gets_403_and_each_attempt_is_audited()
    {
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/users", "marketer", new { username = "mallory", role = "admin", password = "long-enough-password" }), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audit", "marketer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Put, "/api/schema", "marketer", raw: "models: {}", contentType: "application/yaml"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations", "marketer", new { name = "leak", type = "webhook", settings = new { url = "https://x.invalid/", secret = new { secret = "k" } }, secrets = new { k = "x" } }), 403);
        var denied = (await AuditAsync()).Where(e => e.Outcome == AuditOutcomes.Denied && e.Actor == "marketer").Select(e => e.Action).ToList();
        Assert.Contains("user.create", denied);
        Assert.Contains("audit.read", denied);
        Assert.Contains("schema.update", denied);
        Assert.Contains("destination.save", denied);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.SendAsync(HttpMethod.Get, "/api/destinations/leak", "admin")).StatusCode);
        var users = (await fx.GetJsonAsync("/api/users", "admin")).AsArray();
        Assert.DoesNotContain(users, u => u!["username"]!.GetValue<string>() == "mallory");
    }

    [Fact]
    public async Task A_viewer_cannot_change_anything()
    {
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "viewer", raw: Audience("viewer_made")), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Delete, "/api/audiences/high_value", "viewer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/versions/1/restore", "viewer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs", "viewer", new { name = "s", audience = "high_value", destination = "exports", mode = "mirror" }), 403);
        Assert.Contains(await AuditAsync(), e => e.Actor == "viewer" && e.Action == "audience.save" && e.Outcome == AuditOutcomes.Denied);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audiences/viewer_made", "viewer"), 404);
    }

    [Fact]
    public async Task Tokens_of_other_users_cannot_be_revoked_and_revoked_or_unknown_tokens_are_refused()
    {
        var viewerTokens = (await fx.GetJsonAsync("/api/me/tokens", "viewer")).AsArray();
        var viewerTokenId = viewerTokens[0]!["id"]!.GetValue<string>();
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Delete, $"/api/tokens/{viewerTokenId}", "marketer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, $"/api/users/{fx.UserIds["viewer"]}/tokens", "marketer"), 403);
        Assert.Contains(await AuditAsync(), e => e.Actor == "marketer" && e.Action == "token.revoke" && e.Outcome == AuditOutcomes.Denied);

        var extra = await fx.SendAsync(HttpMethod.Post, "/api/me/tokens", "marketer", new { name = "short-lived" });
        var created = (await extra.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = created["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await fx.SendAsync(HttpMethod.Get, "/api/me", secret)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fx.SendAsync(HttpMethod.Delete, $"/api/tokens/{created["id"]}", "marketer")).StatusCode);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/me", secret), 401);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/me", "coh_not-a-real-token"), 401);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/audiences", null), 401);
        Assert.Contains(await AuditAsync(), e => e.Action == "auth.token" && e.Outcome == AuditOutcomes.Denied);
        // The secret is never stored: only its hash.
        var store = fx.Server.Services.GetRequiredService<MetadataStore>();
        var hashes = await store.QueryAsync("SELECT token_hash FROM api_tokens", r => r.GetString(0), CancellationToken.None);
        Assert.DoesNotContain(secret, hashes);
    }

    [Fact]
    public async Task Injection_in_names_is_refused_and_in_values_is_stored_verbatim_and_bound()
    {
        var badName = Audience("x'); DROP TABLE customers;--");
        var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: badName), 400);
        Assert.NotEmpty(problem["errors"]!.AsArray());
        var scriptName = Audience("<script>alert(1)</script>");
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: scriptName), 400);

        const string evil = "GB'); DROP TABLE customers; -- <script>alert('x')</script>";
        var definition = new JsonObject
        {
            ["name"] = "injection_values",
            ["model"] = "customers",
            ["description"] = "<img src=x onerror=alert(1)>",
            ["condition"] = new JsonObject { ["property"] = "country", ["equals"] = evil },
        };
        Assert.Equal(HttpStatusCode.Created, (await fx.SendAsync(HttpMethod.Post, "/api/audiences", "marketer", raw: definition.ToJsonString())).StatusCode);
        var stored = await fx.GetJsonAsync("/api/audiences/injection_values", "viewer");
        Assert.Equal("<img src=x onerror=alert(1)>", stored["description"]!.GetValue<string>());
        Assert.Equal(evil, stored["definition"]!["condition"]!["equals"]!.GetValue<string>());
        var preview = await fx.SendAsync(HttpMethod.Post, "/api/audiences/injection_values/preview", "marketer", new { sample = 0 });
        Assert.Equal(0, (await preview.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
        var sql = (await fx.GetJsonAsync("/api/audiences/injection_values/sql", "viewer")).AsArray();
        Assert.All(sql, s => Assert.DoesNotContain("DROP TABLE", s!["sql"]!.GetValue<string>(), StringComparison.Ordinal));
        // The warehouse still has its customers.
        var all = await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/preview", "viewer", new { sample = 0 });
        Assert.True((await all.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Previews_mask_pii_for_roles_without_pii_access_and_not_for_admins()
    {
        var body = new { sample = 5, columns = new[] { "email", "country" }, breakdown = "email", showPii = true };
        var marketer = (await (await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/preview", "marketer", body)).Content.ReadFromJsonAsync<JsonObject>())!;
        var admin = (await (await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/preview", "admin", body)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(admin["count"]!.GetValue<long>(), marketer["count"]!.GetValue<long>());
        Assert.Contains("email", marketer["sample"]!["masked"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Empty(admin["sample"]!["masked"]!.AsArray());
        var maskedEmails = marketer["sample"]!["rows"]!.AsArray().Select(r => r![1]?.GetValue<string>()).OfType<string>().ToList();
        Assert.NotEmpty(maskedEmails);
        Assert.All(maskedEmails, e => Assert.Contains("•••", e, StringComparison.Ordinal));
        Assert.Contains(admin["sample"]!["rows"]!.AsArray(), r => r![1]?.GetValue<string>() is { } e && e.EndsWith("@example.com", StringComparison.Ordinal));
        Assert.All(marketer["breakdown"]!.AsArray(), b => Assert.DoesNotContain("@example.com", b!["value"]?.ToJsonString() ?? "", StringComparison.Ordinal));
        Assert.Empty((await fx.GetJsonAsync("/api/schema/models/customers/columns/email/values", "marketer")).AsArray());
        Assert.Equal(["DE", "FR", "GB", "US"], (await fx.GetJsonAsync("/api/schema/models/customers/columns/country/values", "marketer")).AsArray().Select(v => v!.GetValue<string>()).Order());
        // Each preview of a saved audience is a point of its size history.
        Assert.True((await fx.GetJsonAsync("/api/audiences/high_value/sizes", "viewer")).AsArray().Count >= 2);
    }

    [Fact]
    public async Task Preview_returns_block_counts_breakdown_and_overlap()
    {
        var response = await fx.SendAsync(HttpMethod.Post, "/api/audiences/engaged_gb_or_us/preview", "viewer",
            new { sample = 3, breakdown = "country", overlap = new[] { "high_value" } });
        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var blocks = preview["blocks"]!.AsArray();
        Assert.Equal(3, blocks.Count);
        Assert.Equal(preview["count"]!.GetValue<long>(), blocks[^1]!["count"]!.GetValue<long>());
        Assert.Equal(preview["count"]!.GetValue<long>(), preview["breakdown"]!.AsArray().Sum(b => b!["count"]!.GetValue<long>()));
        Assert.Equal(["engaged_gb_or_us", "high_value"], preview["overlap"]!["audiences"]!.AsArray().Select(a => a!.GetValue<string>()));
        var draft = await fx.SendAsync(HttpMethod.Post, "/api/previews", "viewer", new { sample = 0, definition = JsonNode.Parse(Audience("draft_only")) });
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/preview", "viewer", raw: "{not json"), 400);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/audiences/high_value/preview", "viewer", new { breakdown = "no_such_column" }), 400);
    }

    [Fact]
    public async Task Destination_secrets_are_encrypted_at_rest_and_never_returned()
    {
        const string secret = "sk_live_do_not_leak_42";
        var create = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new
        {
            name = "crm", type = "webhook", description = "The CRM",
            settings = new { url = "https://example.invalid/hook", secret = new { secret = "crm_signing" } },
            secrets = new { crm_signing = secret },
        });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var text = await create.Content.ReadAsStringAsync() + await (await fx.SendAsync(HttpMethod.Get, "/api/destinations/crm", "admin")).Content.ReadAsStringAsync()
                   + await (await fx.SendAsync(HttpMethod.Get, "/api/destinations", "viewer")).Content.ReadAsStringAsync()
                   + await (await fx.SendAsync(HttpMethod.Get, "/api/destinations/crm/versions", "admin")).Content.ReadAsStringAsync()
                   + await (await fx.SendAsync(HttpMethod.Get, "/api/audit", "admin")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        var got = await fx.GetJsonAsync("/api/destinations/crm", "viewer");
        Assert.Equal("crm_signing", got["secrets"]![0]!["name"]!.GetValue<string>());
        Assert.True(got["secrets"]![0]!["set"]!.GetValue<bool>());
        // The stored document is the project format (what `cohort export` writes), with the reference and without the value.
        Assert.Equal("webhook", got["definition"]!["type"]!.GetValue<string>());
        Assert.Equal("crm_signing", got["definition"]!["settings"]!["secret"]!["secret"]!.GetValue<string>());
        Assert.Null(got["definition"]!["secrets"]);

        var store = fx.Server.Services.GetRequiredService<MetadataStore>();
        var cipher = await store.QueryAsync("SELECT ciphertext FROM destination_secrets WHERE destination = 'crm'", r => r.GetString(0), CancellationToken.None);
        Assert.DoesNotContain(secret, Assert.Single(cipher), StringComparison.Ordinal);
        var everything = await store.QueryAsync("SELECT content FROM document_versions", r => r.GetString(0), CancellationToken.None);
        Assert.All(everything, c => Assert.DoesNotContain(secret, c, StringComparison.Ordinal));
        Assert.Equal(secret, await fx.Server.Services.GetRequiredService<Security.SecretVault>().RevealAsync("crm", "crm_signing"));

        // A credential written as a plain value is refused where it was written, with the references to use instead.
        var plain = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new { name = "crm2", type = "webhook", settings = new { url = "https://example.invalid/x", secret = "oops" } });
        var problem = await Problem.AssertAsync(plain, 400);
        var error = problem["errors"]!.AsArray().First(e => e!["code"]!.GetValue<string>() == "COH503")!;
        Assert.Equal("settings.secret", error["path"]!.GetValue<string>());
        Assert.Contains("{secret: NAME}", error["suggestions"]!.AsArray().Select(x => x!.GetValue<string>()));
        // A secret no setting refers to, an unknown setting of the type, and an unknown type: all reported at once, with suggestions.
        var typos = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", raw: """
            name: crm3
            type: webhook
            settings:
              url: https://example.invalid/x
              secret: {secret: signing}
              batchsize: 10
            secrets: {signin: x}
            """, contentType: "application/yaml");
        var paths = (await Problem.AssertAsync(typos, 400))["errors"]!.AsArray().Select(e => (e!["path"]?.GetValue<string>(), e["suggestions"]!.AsArray().Select(x => x!.GetValue<string>()).ToList())).ToList();
        Assert.Contains(paths, p => p.Item1 == "secrets.signin" && p.Item2.Contains("signing"));
        Assert.Contains(paths, p => p.Item1 == "settings.batchsize" && p.Item2.Contains("batch_size"));
        // POST never overwrites: the name is taken.
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new { name = "crm", type = "file", settings = new { path = "x" } }), 409);
        var unknownType = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new { name = "crm4", type = "webhok" }), 400);
        Assert.Contains("webhook", unknownType["errors"]![0]!["suggestions"]!.AsArray().Select(x => x!.GetValue<string>()));
        // Only admins manage destinations (and so credentials); a marketer's attempt is refused and audited.
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Put, "/api/destinations/crm", "marketer", new
        {
            name = "crm", type = "webhook", settings = new { url = "https://attacker.invalid/", secret = new { secret = "crm_signing" } }, secrets = new { crm_signing = "mine" },
        }), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Put, "/api/destinations/crm", "engineer", new { name = "crm", type = "webhook", settings = new { url = "https://attacker.invalid/" } }), 403);
        Assert.Equal(secret, await fx.Server.Services.GetRequiredService<Security.SecretVault>().RevealAsync("crm", "crm_signing"));
        Assert.Contains(await AuditAsync(), e => e.Actor == "marketer" && e.Action == "destination.save" && e.Outcome == AuditOutcomes.Denied);

        // Dropping the reference (the signing key now comes from the environment) drops the stored secret.
        var update = await fx.SendAsync(HttpMethod.Put, "/api/destinations/crm", "admin", new
        {
            name = "crm", type = "webhook", settings = new { url = "https://example.invalid/hook", secret = new { env = "CRM_SIGNING_KEY" } },
        });
        Assert.True(update.StatusCode == HttpStatusCode.OK, await update.Content.ReadAsStringAsync());
        Assert.Null(await fx.Server.Services.GetRequiredService<Security.SecretVault>().RevealAsync("crm", "crm_signing"));
        Assert.Equal(2, (await fx.GetJsonAsync("/api/destinations/crm/versions", "viewer")).AsArray().Count);
    }

    [Fact]
    public async Task Sync_definitions_are_versioned_scheduled_validated_and_triggers_are_audited()
    {
        var created = await fx.SendAsync(HttpMethod.Post, "/api/destinations", "admin", new { name = "sheet", type = "file", settings = new { path = Path.Combine(Path.GetTempPath(), "cohort-never-written") } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The project's sync format (docs/sync.md), as JSON; the server adds nothing of its own.
        var sync = new
        {
            name = "hv_to_sheet", audience = "high_value", destination = "sheet", mode = "mirror",
            fields = new { first_name = "first_name", lifetime_value = new { trait = "lifetime_value" } },
            identifiers = new { email = "email" },
            schedule = new { cron = "0 6 * * *", time_zone = "Europe/London" },
        };
        var create = await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", sync);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var got = await fx.GetJsonAsync("/api/syncs/hv_to_sheet", "viewer");
        Assert.NotNull(got["job"]!["nextRunAt"]);
        Assert.Equal("cron", got["schedule"]!["type"]!.GetValue<string>());
        Assert.Equal("Europe/London", got["schedule"]!["time_zone"]!.GetValue<string>());
        Assert.True(got["valid"]!.GetValue<bool>());
        // JSON is stored as the equivalent YAML (versions diff line by line), which the CLI's reader reads back the same.
        Assert.Equal("yaml", got["format"]!.GetValue<string>());
        Assert.Contains("audience: high_value", got["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("lifetime_value", got["definition"]!["fields"]!["lifetime_value"]!["trait"]!.GetValue<string>());

        var bad = await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", new
        {
            name = "bad_sync", audience = "high_valu", destination = "sheet", mode = "sideways",
            schedule = new { cron = "every day", time_zone = "Mars/Olympus" },
        });
        var problem = await Problem.AssertAsync(bad, 400);
        var errors = problem["errors"]!.AsArray();
        var paths = errors.Select(e => e!["path"]?.GetValue<string>()).ToList();
        Assert.Contains("mode", paths);
        Assert.Contains("schedule.time_zone", paths);
        // Once the reader succeeds, the audience, the destination type and the schedule are checked too.
        var bad2 = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", new
        {
            name = "bad_sync", audience = "high_valu", destination = "sheet", mode = "mirror", schedule = new { cron = "every day" },
        }), 400);
        var errors2 = bad2["errors"]!.AsArray();
        Assert.Contains(errors2, e => e!["path"]?.GetValue<string>() == "audience" && e["suggestions"]!.AsArray().Any(x => x!.GetValue<string>() == "high_value"));
        Assert.Contains(errors2, e => e!["path"]?.GetValue<string>() == "schedule.cron" && e["line"] is not null);
        var interval = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs", "marketer", new
        {
            name = "bad_sync", audience = "high_value", destination = "sheets", mode = "mirror", schedule = new { every = "30 seconds" },
        }), 400);
        Assert.True(interval["errors"]!.AsArray().Any(e => e!["path"]?.GetValue<string>() == "schedule.every"), interval.ToJsonString());
        Assert.Contains(interval["errors"]!.AsArray(), e => e!["path"]?.GetValue<string>() == "destination" && e["suggestions"]!.AsArray().Count > 0);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/syncs/bad_sync", "viewer"), 404);
        var validate = (await (await fx.SendAsync(HttpMethod.Post, "/api/syncs/validate", "viewer", sync)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(validate["valid"]!.GetValue<bool>());

        // A new version (YAML as written), then a stale write is refused.
        var yaml = got["content"]!.GetValue<string>().Replace("0 6 * * *", "30 7 * * 1-5", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fx.SendAsync(HttpMethod.Put, "/api/syncs/hv_to_sheet?expectedVersion=1", "engineer", raw: yaml, contentType: "application/yaml")).StatusCode);
        Assert.Equal(yaml, (await fx.GetJsonAsync("/api/syncs/hv_to_sheet", "viewer"))["content"]!.GetValue<string>());
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Put, "/api/syncs/hv_to_sheet?expectedVersion=1", "marketer", raw: yaml, contentType: "application/yaml"), 409);
        Assert.Equal(2, (await fx.GetJsonAsync("/api/syncs/hv_to_sheet/versions", "viewer")).AsArray().Count);

        Assert.Equal(HttpStatusCode.Accepted, (await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_sheet/trigger", "marketer")).StatusCode);
        Assert.Contains(await AuditAsync(), e => e.Action == "sync.trigger" && e.TargetName == "hv_to_sheet" && e.Actor == "marketer");
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_sheet/trigger", "viewer"), 403);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Post, "/api/syncs/hv_to_sheet/dry-run", "viewer"), 403);
        Assert.Empty((await fx.GetJsonAsync("/api/syncs/hv_to_sheet/runs", "viewer")).AsArray()); // the scheduler is off in this fixture
        Assert.NotNull(await fx.GetJsonAsync("/api/runs", "viewer"));
        var list = (await fx.GetJsonAsync("/api/audiences", "viewer")).AsArray();
        Assert.NotNull(list.First(a => a!["name"]!.GetValue<string>() == "high_value")!["nextRunAt"]);
        // An audience that a sync uses cannot be deleted from under it, nor a destination.
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Delete, "/api/audiences/high_value", "marketer"), 400);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Delete, "/api/destinations/sheet", "admin"), 400);
        // The shop project's own syncs were imported in the same format.
        var shop = await fx.GetJsonAsync("/api/syncs/engaged_to_crm", "viewer");
        Assert.True(shop["valid"]!.GetValue<bool>());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Paths.Shop, "syncs", "engaged_to_crm.yaml")), shop["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schema_changes_are_versioned_and_only_for_engineers_and_admins()
    {
        var schema = await fx.GetJsonAsync("/api/schema", "viewer");
        var customers = schema["models"]!.AsArray().First(m => m!["name"]!.GetValue<string>() == "customers")!;
        Assert.Contains(customers["columns"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "email" && c["pii"]!.GetValue<bool>());
        Assert.NotEmpty(schema["relationships"]!.AsArray());
        Assert.NotEmpty(schema["traits"]!.AsArray());
        var text = (await fx.GetJsonAsync("/api/schema/text", "viewer"))["content"]!.GetValue<string>();
        var edited = text.Replace("description: One row per customer", "description: One row per customer (edited)", StringComparison.Ordinal);
        var save = await fx.SendAsync(HttpMethod.Put, "/api/schema", "engineer", raw: edited, contentType: "application/yaml");
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        var broken = await fx.SendAsync(HttpMethod.Put, "/api/schema", "engineer", raw: "models:\n  x: {kind: parent}\n", contentType: "application/yaml");
        await Problem.AssertAsync(broken, 400);
        var versions = (await fx.GetJsonAsync("/api/schema/versions", "viewer")).AsArray();
        Assert.True(versions.Count >= 2);
        Assert.Equal("engineer", versions[0]!["author"]!.GetValue<string>());
        var restore = await fx.SendAsync(HttpMethod.Post, $"/api/schema/versions/{versions[^1]!["version"]}/restore", "engineer");
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
    }

    [Fact]
    public async Task Identity_explanations_are_404_until_identity_has_run_and_the_openapi_reference_is_served()
    {
        var problem = await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/profiles/42/explanation", "viewer"), 404);
        Assert.EndsWith("/identity-not-run", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cohort identity run", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/records/people/1", "viewer"), 404);
        await Problem.AssertAsync(await fx.SendAsync(HttpMethod.Get, "/api/identity/why?a=people:1&b=people:2", "viewer"), 404);
        var openapi = JsonNode.Parse(await fx.Http.GetStringAsync("/openapi/v1.json"))!;
        var paths = openapi["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/audiences/{name}/preview", paths);
        Assert.Contains("/api/syncs/{name}/trigger", paths);
        Assert.Contains("/api/identity/profiles/{id}/explanation", paths);
        Assert.Contains("/api/identity/records/{source}/{key}", paths);
        Assert.Contains("/api/identity/why", paths);
        Assert.NotNull(openapi["components"]!["securitySchemes"]!["bearer"]);
        var ui = await fx.Http.GetStringAsync("/api/docs/index.html");
        Assert.Contains("swagger", ui, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn", ui, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_audit_log_is_append_only_in_the_store()
    {
        var store = fx.Server.Services.GetRequiredService<MetadataStore>();
        var before = (await AuditAsync()).Count;
        Assert.True(before > 0);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.ExecuteAsync("UPDATE audit_log SET actor = 'someone else'", CancellationToken.None));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.ExecuteAsync("DELETE FROM audit_log", CancellationToken.None));
        Assert.True((await AuditAsync()).Count >= before);
        Assert.DoesNotContain(await AuditAsync(), e => e.Actor == "someone else");
    }
}

public sealed class SqliteApiTests(SqliteServerFixture fx) : ApiTests<SqliteStoreProvider>(fx), IClassFixture<SqliteServerFixture>;

public sealed class PostgresApiTests(PostgresServerFixture fx) : ApiTests<PostgresStoreProvider>(fx), IClassFixture<PostgresServerFixture>;
