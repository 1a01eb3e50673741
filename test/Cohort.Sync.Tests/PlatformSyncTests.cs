using System.Text.Json.Nodes;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;
using Cohort.Sync.Records;
using Cohort.Sync.Running;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;
using Cohort.Testing.Platforms;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Sync.Tests;

/// <summary>
/// Platform connectors end to end through the sync engine: a destination file of a registered platform type, a
/// membership sync of an audience on each engine (DuckDB, PostgreSQL), and the platform's contract-enforcing fake on loopback (reached through
/// <c>base_url</c>). Four shapes: Meta (hashed identifiers, POST add / DELETE remove), Google Ads Customer Match
/// (offline jobs, committed only when the job runs), Klaviyo (profile bulk import + list relationships) and HubSpot
/// (CRM batch upsert + list memberships).
/// </summary>
public abstract class PlatformSyncTests<TEngine>(TEngine engine) : IClassFixture<TEngine> where TEngine : EngineFixture
{
    public static TheoryData<string> Platforms => ["meta", "google_ads", "klaviyo", "hubspot"];

    private static string Sync(string identifiers) =>
        $"audience: active\ndestination: platform\nmode: membership\nfields: {{name: name}}\nidentifiers: {identifiers}\nexclude: [unsubscribed]\n";

    /// <summary>One platform under test: its fake, its destination file, what the fake holds, and what a run sent it.</summary>
    private abstract class PlatformCase
    {
        public abstract FakePlatformServer Fake { get; }

        public abstract string GoodToken { get; }

        /// <summary>The destination file's text; the credential is <c>{env: PLATFORM_TOKEN}</c>.</summary>
        public abstract string Destination(Uri baseUrl);

        /// <summary>The emails the platform's audience holds, in the form the platform keeps them (hashes for ad platforms).</summary>
        public abstract SortedSet<string> Held();

        /// <summary>How an email of the warehouse appears in <see cref="Held"/>.</summary>
        public virtual string AsHeld(string email) => email;

        /// <summary>Records sent for adding and for removing, in the given requests.</summary>
        public abstract (int Adds, int Removes) Sent(IEnumerable<FakeRequest> requests);

        /// <summary>The path of the request that carries records (for injecting faults into it).</summary>
        public abstract string SendPath { get; }

        /// <summary>The sync's identifier mapping (HubSpot names a contact by email alone).</summary>
        public virtual string Identifiers => "{email: email, phone: phone}";
    }

    private sealed class MetaCase : PlatformCase
    {
        private readonly MetaFake _fake = new();

        public override FakePlatformServer Fake => _fake;

        public override string GoodToken => MetaFake.AccessToken;

        public override string SendPath => "/users";

        public override string Destination(Uri baseUrl) =>
            $"type: meta-custom-audience\nsettings:\n  audience_id: \"{MetaFake.AudienceId}\"\n  access_token: {{env: PLATFORM_TOKEN}}\n  base_url: {baseUrl}\n  batch_size: 10\n  default_phone_region: GB\n";

        public override SortedSet<string> Held() =>
            new(_fake.Members.Where(m => m.StartsWith("EMAIL:", StringComparison.Ordinal)).Select(m => m["EMAIL:".Length..]), StringComparer.Ordinal);

        public override string AsHeld(string email) => IdentifierHasher.Sha256Hex(email);

        public override (int Adds, int Removes) Sent(IEnumerable<FakeRequest> requests)
        {
            int adds = 0, removes = 0;
            foreach (var r in requests.Where(r => r.Path.EndsWith("/users", StringComparison.Ordinal)))
            {
                var rows = (JsonNode.Parse(r.Form["payload"])!["data"] as JsonArray)!.Count;
                if (r.Method == "POST") adds += rows;
                else removes += rows;
            }
            return (adds, removes);
        }
    }

    private sealed class GoogleAdsCase(TimeProvider time) : PlatformCase
    {
        private readonly GoogleAdsFake _fake = new(time);

        public override FakePlatformServer Fake => _fake;

        public override string GoodToken => GoogleAdsFake.AccessToken;

        public override string SendPath => ":addOperations";

        public override string Destination(Uri baseUrl) =>
            "type: google-ads-customer-match\nsettings:\n" +
            $"  customer_id: \"{GoogleAdsFake.CustomerId}\"\n  user_list_id: \"{GoogleAdsFake.UserListId}\"\n" +
            $"  developer_token: {{env: GOOGLE_DEVELOPER_TOKEN}}\n  access_token: {{env: PLATFORM_TOKEN}}\n" +
            $"  ad_user_data_consent: granted\n  ad_personalization_consent: granted\n  max_identifiers_per_request: 50\n  default_phone_region: GB\n  base_url: {baseUrl}\n";

        public override SortedSet<string> Held() =>
            new(_fake.Members.Where(m => m.StartsWith("hashedEmail:", StringComparison.Ordinal)).Select(m => m["hashedEmail:".Length..]), StringComparer.Ordinal);

        public override string AsHeld(string email) => IdentifierHasher.Sha256Hex(email);

        public override (int Adds, int Removes) Sent(IEnumerable<FakeRequest> requests)
        {
            int adds = 0, removes = 0;
            foreach (var r in requests.Where(r => r.Path.EndsWith(":addOperations", StringComparison.Ordinal)))
            {
                foreach (var op in (r.Json!["operations"] as JsonArray)!)
                {
                    if (op!["create"] is not null) adds++;
                    else removes++;
                }
            }
            return (adds, removes);
        }
    }

    private sealed class KlaviyoCase : PlatformCase
    {
        private readonly KlaviyoFake _fake = new();

        public override FakePlatformServer Fake => _fake;

        public override string GoodToken => KlaviyoFake.ApiKey;

        public override string SendPath => "/api/profile-bulk-import-jobs";

        public override string Destination(Uri baseUrl) =>
            $"type: klaviyo\nsettings:\n  api_key: {{env: PLATFORM_TOKEN}}\n  list_id: {KlaviyoFake.ListId}\n  batch_size: 10\n  default_phone_region: GB\n  base_url: {baseUrl}\n";

        public override SortedSet<string> Held() => new(_fake.ListEmails, StringComparer.Ordinal);

        public override (int Adds, int Removes) Sent(IEnumerable<FakeRequest> requests)
        {
            int adds = 0, removes = 0;
            foreach (var r in requests)
            {
                if (r.Method == "POST" && r.Path == "/api/profile-bulk-import-jobs") adds += (r.Json!["data"]!["attributes"]!["profiles"]!["data"] as JsonArray)!.Count;
                else if (r.Method == "DELETE") removes += (r.Json!["data"] as JsonArray)!.Count;
            }
            return (adds, removes);
        }
    }

    private sealed class HubSpotCase : PlatformCase
    {
        private readonly HubSpotFake _fake = new();

        public override FakePlatformServer Fake => _fake;

        public override string GoodToken => HubSpotFake.Token;

        public override string SendPath => "/batch/upsert";

        public override string Identifiers => "{email: email}";

        public override string Destination(Uri baseUrl) =>
            $"type: hubspot\nsettings:\n  access_token: {{env: PLATFORM_TOKEN}}\n  list_id: \"{HubSpotFake.ListId}\"\n  batch_size: 10\n  base_url: {baseUrl}\n";

        public override SortedSet<string> Held() => new(_fake.ListEmails, StringComparer.Ordinal);

        public override (int Adds, int Removes) Sent(IEnumerable<FakeRequest> requests)
        {
            int adds = 0, removes = 0;
            foreach (var r in requests)
            {
                if (r.Path.EndsWith("/batch/upsert", StringComparison.Ordinal)) adds += (r.Json!["inputs"] as JsonArray)!.Count;
                else if (r.Path.EndsWith("/batch/read", StringComparison.Ordinal)) removes += (r.Json!["inputs"] as JsonArray)!.Count;
            }
            return (adds, removes);
        }
    }

    private sealed class Setup(Harness harness, SyncEngine engine, PlatformCase platform) : IAsyncDisposable
    {
        public Harness Harness { get; } = harness;

        public SyncEngine Engine { get; } = engine;

        public PlatformCase Platform { get; } = platform;

        public async Task<SyncRunRecord> RunAsync()
        {
            var run = Engine.RunAsync(Harness.Sync, Harness.Options());
            await Clock.AdvanceUntilDone(Harness.Time, run);
            var record = await run;
            Assert.True(record.Counts.IsBalanced, $"unbalanced run: {record.Counts}");
            return record;
        }

        /// <summary>The audience's emails as the platform should hold them, computed by hand-written SQL.</summary>
        public async Task<SortedSet<string>> ExpectedAsync()
        {
            var rows = await Harness.Warehouse.ReadAllAsync("SELECT email FROM people WHERE active AND segment <> 'unsub' AND email LIKE '%@%'");
            return new SortedSet<string>(rows.Select(r => Platform.AsHeld((string)r[0]!)), StringComparer.Ordinal);
        }

        public async ValueTask DisposeAsync()
        {
            await Harness.DisposeAsync();
            await Platform.Fake.DisposeAsync();
        }
    }

    private async Task<Setup> CreateAsync(string platform, string? token = null, int people = 40)
    {
        var fakeTime = new FakeTimeProvider(Harness.Start);
        PlatformCase @case = platform switch
        {
            "meta" => new MetaCase(),
            "google_ads" => new GoogleAdsCase(fakeTime),
            "klaviyo" => new KlaviyoCase(),
            "hubspot" => new HubSpotCase(),
            _ => throw new ArgumentOutOfRangeException(nameof(platform)),
        };
        await @case.Fake.StartAsync();
        var harness = await Harness.CreateAsync(engine, Sync(@case.Identifiers), people: people, files: f => f.Destination("platform", @case.Destination(@case.Fake.BaseUrl)));
        var variables = new Dictionary<string, string>
        {
            ["PLATFORM_TOKEN"] = token ?? @case.GoodToken,
            ["GOOGLE_DEVELOPER_TOKEN"] = GoogleAdsFake.DeveloperToken,
        };
        var syncEngine = new SyncEngine(harness.Warehouse, harness.Project, harness.Catalog, harness.Time, new SyncEngineOptions
        {
            State = harness.State,
            Secrets = new SecretResolver(name => variables.GetValueOrDefault(name)),
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(1) },
        });
        return new Setup(harness, syncEngine, @case);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task An_audience_syncs_and_a_second_run_sends_exactly_the_adds_and_removes(string platform)
    {
        await using var s = await CreateAsync(platform);
        var first = await s.RunAsync();
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.True(first.Counts.Added > 20);
        Assert.Equal(await s.ExpectedAsync(), s.Platform.Held());
        Assert.Equal(((int)first.Counts.Added, 0), s.Platform.Sent(s.Platform.Fake.Requests));

        // Two members leave (inactive), one joins (id 3 was inactive), and one member's mapped field changes.
        var before = s.Platform.Fake.Requests.Count;
        await s.Harness.ExecuteAsync("UPDATE people SET active = FALSE WHERE id IN (1, 2); UPDATE people SET active = TRUE WHERE id = 3; UPDATE people SET name = 'Renamed' WHERE id = 4");
        var second = await s.RunAsync();
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Equal((1L, 1L, 2L), (second.Counts.Added, second.Counts.Changed, second.Counts.Removed));
        Assert.Equal((2, 2), s.Platform.Sent(s.Platform.Fake.Requests.Skip(before)));
        Assert.Equal(await s.ExpectedAsync(), s.Platform.Held());

        // Nothing changed: nothing is sent.
        var idle = s.Platform.Fake.Requests.Count;
        var third = await s.RunAsync();
        Assert.Equal((RunStatus.Succeeded, 0L), (third.Status, third.Counts.Planned));
        Assert.Equal(idle, s.Platform.Fake.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Rows_without_a_usable_identifier_are_reported_invalid_and_never_sent(string platform)
    {
        await using var s = await CreateAsync(platform);
        // 4 and 5 are members: their email does not normalise and they have no phone.
        await s.Harness.ExecuteAsync("UPDATE people SET email = 'not-an-email', phone = NULL WHERE id IN (4, 5)");
        var run = await s.RunAsync();
        Assert.Equal(RunStatus.CompletedWithErrors, run.Status);
        Assert.Equal(2, run.Counts.FailedInvalid);
        // The run's match rate: every upserted row but those two carried an identifier the platform can use; stored.
        Assert.Equal(new RunMatchRate(run.Counts.Added, run.Counts.Added - 2), run.MatchRate);
        Assert.Equal(run.MatchRate, (await s.Engine.HistoryAsync(s.Harness.Sync.Name, 1)).Single().MatchRate);
        var (_, rows) = await s.Engine.ErrorsAsync(s.Harness.Sync.Name);
        Assert.Equal(["4", "5"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(RowOutcome.Invalid, r.Outcome));
        Assert.All(rows, r => Assert.DoesNotContain("not-an-email", r.Reason ?? "", StringComparison.Ordinal));
        Assert.DoesNotContain(s.Platform.Fake.Requests, r => r.Body.Contains("not-an-email", StringComparison.Ordinal));
        Assert.Equal(await s.ExpectedAsync(), s.Platform.Held());
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task A_platform_answering_429_and_5xx_still_converges(string platform)
    {
        await using var s = await CreateAsync(platform);
        s.Platform.Fake.Inject(Fault.Status(429, TimeSpan.FromSeconds(3), s.Platform.SendPath));
        s.Platform.Fake.Inject(Fault.Status(503, path: s.Platform.SendPath));
        s.Platform.Fake.Inject(Fault.Status(500, path: s.Platform.SendPath));
        var run = await s.RunAsync();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(run.Counts.Retries >= 3, $"retries: {run.Counts.Retries}");
        Assert.Equal(await s.ExpectedAsync(), s.Platform.Held());
    }

    [Fact]
    public async Task Braze_profiles_are_upserted_with_their_fields_and_only_changed_profiles_are_sent_again()
    {
        await using var braze = new BrazeFake(TimeProvider.System);
        await braze.StartAsync();
        await using var h = await Harness.CreateAsync(engine,
            "audience: active\ndestination: braze\nmode: upsert\nfields: {name: name, score: score}\nidentifiers: {email: email}\nexclude: [unsubscribed]\n",
            people: 30,
            files: f => f.Destination("braze", $"type: braze\nsettings:\n  base_url: {braze.BaseUrl}\n  api_key: {{env: BRAZE_KEY}}\n  identify_by: email\n  batch_size: 5\n"));
        var syncEngine = new SyncEngine(h.Warehouse, h.Project, h.Catalog, h.Time, new SyncEngineOptions
        {
            State = h.State,
            Secrets = new SecretResolver(name => name == "BRAZE_KEY" ? BrazeFake.ApiKey : null),
        });
        async Task<SyncRunRecord> Run()
        {
            var run = syncEngine.RunAsync(h.Sync, h.Options());
            await Clock.AdvanceUntilDone(h.Time, run);
            return await run;
        }

        var first = await Run();
        Assert.Equal(RunStatus.Succeeded, first.Status);
        var expected = (await h.Warehouse.ReadAllAsync("SELECT email FROM people WHERE active AND segment <> 'unsub'")).Select(r => "email:" + (string)r[0]!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, braze.Users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Name 4", (string?)braze.Users["email:user4@example.com"]["name"]);
        Assert.Equal(6m, (decimal?)braze.Users["email:user4@example.com"]["score"]);

        var before = braze.Requests.Count;
        await h.ExecuteAsync("UPDATE people SET name = 'Renamed' WHERE id = 4; UPDATE people SET active = FALSE WHERE id = 1");
        var second = await Run();
        Assert.Equal((RunStatus.Succeeded, 1L, 1L, 1L), (second.Status, second.Counts.Changed, second.Counts.Removed, second.Counts.Skipped));
        var sent = braze.Requests.Skip(before).SelectMany(r => (r.Json!["attributes"] as JsonArray)!).ToList();
        var only = Assert.Single(sent);
        Assert.Equal(("user4@example.com", "Renamed", false), ((string?)only!["email"], (string?)only["name"], (bool?)only["_update_existing_only"]));
        Assert.Equal("Renamed", (string?)braze.Users["email:user4@example.com"]["name"]);
        Assert.True(braze.Users.ContainsKey("email:user1@example.com")); // upsert mode keeps profiles that leave (on_exit: keep)
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Expired_credentials_stop_the_run_with_a_clear_error(string platform)
    {
        await using var s = await CreateAsync(platform, token: "expired-token");
        var run = await s.RunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("credentials", run.Error, StringComparison.Ordinal);
        Assert.Contains("Sync 'subject' stopped", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("expired-token", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, run.Counts.Succeeded);
        Assert.Equal(run.Counts.Planned, run.Counts.Pending);
        Assert.Empty(s.Platform.Held());
        // No retries against refused credentials: the first refusal stops the sync.
        Assert.Equal(0, run.Counts.Retries);
    }
}

public sealed class DuckDbPlatformSyncTests(DuckDbEngine engine) : PlatformSyncTests<DuckDbEngine>(engine);

public sealed class PostgresPlatformSyncTests(PostgresEngine engine) : PlatformSyncTests<PostgresEngine>(engine);
