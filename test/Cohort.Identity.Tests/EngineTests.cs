using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Testing;
using Cohort.Warehouses;
using CsCheck;

namespace Cohort.Identity.Tests;

/// <summary>Identity resolution end to end on every engine: normalisation, blocking, limits, the oracle, atomic swaps.</summary>
public abstract class EngineTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    internal const string Rules = """
        identifiers:
          user_id: {limit: 1}
          email: {gmail: true, strip_plus: true, blocked: [test@test.com], blocked_patterns: ['^noreply@']}
          phone: {default_region: US}
          device_id: {}
        priority: [user_id, email, phone, device_id]
        blocked: ['null', 'anonymous', '0000000000']
        max_profile_size: 6
        sources:
          people:
            table: people
            key: id
            columns: {uid: user_id, email: email, phone: phone, device: device_id}
        """;

    internal static IdentityRules Parse(string yaml)
    {
        var bag = new DiagnosticBag();
        var rules = IdentityReader.ReadText(yaml, null, bag);
        Assert.Empty(bag.Items);
        return rules!;
    }

    private async Task<(IWarehouse Warehouse, string State)> WithPeopleAsync(params (long Id, string? Uid, string? Email, string? Phone, string? Device)[] rows)
    {
        var (warehouse, state) = await engine.CreateAsync();
        await warehouse.ExecuteScriptAsync("CREATE TABLE people (id BIGINT, uid VARCHAR, email VARCHAR, phone VARCHAR, device VARCHAR)");
        await warehouse.BulkLoadAsync("people", ["id", "uid", "email", "phone", "device"], rows.Select(r => new object?[] { r.Id, r.Uid, r.Email, r.Phone, r.Device }).ToList());
        return (warehouse, state);
    }

    private static async Task<List<string>> PartitionAsync(IWarehouse warehouse, string state)
    {
        var rows = await warehouse.ReadAllAsync($"SELECT record_key, cohort_id FROM {state}.identity_records");
        return UnionFind.Canonical(rows.Select(r => ((string)r[0]!, (string)r[1]!)));
    }

    private static IdentityEngine Engine(IWarehouse warehouse, string state, string rules = Rules, Func<string, Task>? afterStep = null) =>
        new(warehouse, Parse(rules), TimeProvider.System, new IdentityRunOptions { StateSchema = state, AfterStep = afterStep });

    [Fact]
    public async Task Identifiers_are_normalised_before_they_link()
    {
        var (warehouse, state) = await WithPeopleAsync(
            (1, null, " Ada.Lovelace@GMAIL.com ", null, null),
            (2, null, "adalovelace+shop@googlemail.com", "(415) 555-0123", null),
            (3, null, null, "+1 415 555 0123", null),
            (4, null, "grace@example.com", "4155550199", null),
            (5, null, "grace+news@example.com", null, null),
            (6, null, "not an email", "12", null));
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.Equal(["1,2,3", "4,5", "6"], await PartitionAsync(warehouse, state));
        Assert.Equal(6, result.Records);
        Assert.Equal(3, result.Cohorts);
        Assert.Equal(2L, result.Invalid);
        var emails = await warehouse.ReadAllAsync($"SELECT DISTINCT value FROM {state}.identity_identifiers WHERE identifier = 'email' ORDER BY value");
        Assert.Equal(["adalovelace@gmail.com", "grace@example.com"], emails.Select(r => (string)r[0]!));
        var phones = await warehouse.ReadAllAsync($"SELECT DISTINCT value FROM {state}.identity_identifiers WHERE identifier = 'phone' ORDER BY value");
        Assert.Equal(["+14155550123", "+14155550199"], phones.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Blocked_values_and_patterns_never_link()
    {
        var (warehouse, state) = await WithPeopleAsync(
            (1, null, "test@test.com", "000-000-0000", "anonymous"),
            (2, null, "TEST@test.com", "0000000000", "ANONYMOUS"),
            (3, null, "noreply@shop.example", "null", null),
            (4, null, "noreply@shop.example", null, null));
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.Equal(["1", "2", "3", "4"], await PartitionAsync(warehouse, state));
        Assert.Equal(8L, result.Blocked);
        var reasons = await warehouse.ReadAllAsync($"SELECT DISTINCT reason FROM {state}.identity_occurrences WHERE status = 'blocked' ORDER BY reason");
        Assert.Equal(["blocked pattern", "blocked value"], reasons.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_shared_device_seen_with_two_user_ids_is_dropped_and_the_rest_still_links()
    {
        var (warehouse, state) = await WithPeopleAsync(
            (1, "u1", "a@x.example", null, "tablet"),
            (2, "u2", "b@x.example", null, "tablet"),
            (3, null, "a@x.example", null, "phone-a"),
            (4, null, null, null, "phone-a"));
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.Equal(["1,3,4", "2"], await PartitionAsync(warehouse, state));
        Assert.Equal(2L, result.Dropped);
        Assert.Equal("limit user_id <= 1", await warehouse.ScalarAsync($"SELECT min(reason) FROM {state}.identity_occurrences WHERE status = 'dropped'"));
    }

    [Fact]
    public async Task A_transitive_limit_violation_drops_the_lowest_priority_link_and_relinks()
    {
        // 1 and 3 carry different user ids; only the chain email -> phone joins them. The phone (lower priority
        // than email) is dropped, so 1 and 2 stay together by e-mail and 3 is apart.
        var (warehouse, state) = await WithPeopleAsync(
            (1, "u1", "a@x.example", null, null),
            (2, null, "a@x.example", "+14155550123", null),
            (3, "u2", null, "+14155550123", null));
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.Equal(["1,2", "3"], await PartitionAsync(warehouse, state));
        Assert.True(result.LimitPasses >= 2);
        var drop = await warehouse.ReadAllAsync($"SELECT identifier, rule FROM {state}.identity_merges WHERE action = 'drop'");
        Assert.Equal(("phone", "limit user_id <= 1"), ((string)drop.Single()[0]!, (string)drop.Single()[1]!));

        // why: 1 and 2 together by the e-mail; 1 and 3 apart, and the path shows the dropped phone and its rule.
        var inspector = new IdentityInspector(warehouse, state);
        var together = (await inspector.WhyAsync(new RecordRef("people", "1"), new RecordRef("people", "2")))!;
        Assert.True(together.Together);
        Assert.Equal("email", Assert.Single(together.Path!).Identifier);
        var apart = (await inspector.WhyAsync(new RecordRef("people", "1"), new RecordRef("people", "3")))!;
        Assert.False(apart.Together);
        Assert.Equal(2, apart.Path!.Count);
        Assert.Equal(("linked", "email"), (apart.Path[0].Status, apart.Path[0].Identifier));
        Assert.Equal(("dropped", "phone", "limit user_id <= 1"), (apart.Path[1].Status, apart.Path[1].Identifier, apart.Path[1].Reason));
        // explain: the e-mail is the edge that joined 1 and 2, from which columns, under which rule.
        var explained = (await inspector.ExplainAsync(together.CohortA))!;
        var link = Assert.Single(explained.Links);
        Assert.Equal(("email", "a@x.example", "same normalised email"), (link.Identifier, link.Value, link.Rule));
        Assert.Equal(["people:1 email", "people:2 email"], link.Records.Select(r => $"{r.Record} {r.Column}"));
        Assert.Null(await inspector.ExplainAsync("c_unknown"));
        Assert.Null(await inspector.WhyAsync(new RecordRef("people", "1"), new RecordRef("people", "99")));
    }

    [Fact]
    public async Task A_value_shared_by_more_records_than_the_profile_size_is_a_junk_hub()
    {
        var rows = Enumerable.Range(1, 8).Select(i => ((long)i, (string?)null, (string?)$"p{i}@x.example", (string?)null, (string?)"kiosk")).ToArray();
        var (warehouse, state) = await WithPeopleAsync(rows);
        await using var _ = warehouse;
        await Engine(warehouse, state).RunAsync();
        Assert.Equal(8, (await PartitionAsync(warehouse, state)).Count);
        Assert.Equal("max_profile_size", await warehouse.ScalarAsync($"SELECT min(reason) FROM {state}.identity_occurrences WHERE status = 'dropped'"));
    }

    [Fact]
    public async Task Without_limits_the_partition_equals_union_find_over_shared_values()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        const string rules = """
            identifiers: {email: {}, device_id: {}, user_id: {}}
            max_profile_size: 100000
            sources:
              a: {table: src_a, key: id, columns: {email: email, device: device_id}}
              b: {table: src_b, key: id, columns: {uid: user_id, email: email}}
            """;
        var gen = Gen.Int[0, int.MaxValue].Select(seed =>
        {
            var random = new Random(seed);
            var n = random.Next(5, 150);
            var pool = random.Next(2, n);
            string? Value(string kind) => random.Next(4) == 0 ? null : $"{kind}{random.Next(pool)}";
            var a = Enumerable.Range(1, n).Select(i => new object?[] { (long)i, Value("e") is { } e ? e + "@x.example" : null, Value("d") }).ToList();
            var b = Enumerable.Range(1, n / 2).Select(i => new object?[] { (long)i, Value("u"), Value("e") is { } e ? e + "@x.example" : null }).ToList();
            return (a, b);
        });
        await gen.SampleAsync(async data =>
        {
            await warehouse.ExecuteScriptAsync("DROP TABLE IF EXISTS src_a; DROP TABLE IF EXISTS src_b; CREATE TABLE src_a (id BIGINT, email VARCHAR, device VARCHAR); CREATE TABLE src_b (id BIGINT, uid VARCHAR, email VARCHAR)");
            await warehouse.BulkLoadAsync("src_a", ["id", "email", "device"], data.a);
            await warehouse.BulkLoadAsync("src_b", ["id", "uid", "email"], data.b);
            await Engine(warehouse, state, rules).RunAsync();
            var oracle = new Dictionary<string, string>();
            var uf = new UnionFind();
            var ids = new Dictionary<string, long>();
            long Id(string key) => ids.TryGetValue(key, out var v) ? v : ids[key] = ids.Count + 1;
            void Add(string record, string kind, object? value)
            {
                var r = Id(record);
                uf.Find(r);
                if (value is string s) uf.Union(r, Id(kind + ":" + s));
            }
            foreach (var row in data.a) { Add($"a:{row[0]}", "email", row[1]); Add($"a:{row[0]}", "device", row[2]); }
            foreach (var row in data.b) { Add($"b:{row[0]}", "user", row[1]); Add($"b:{row[0]}", "email", row[2]); }
            var expected = UnionFind.Canonical(ids.Where(kv => kv.Key.StartsWith("a:", StringComparison.Ordinal) || kv.Key.StartsWith("b:", StringComparison.Ordinal))
                .Select(kv => (kv.Key, uf.Find(kv.Value).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            var rows = await warehouse.ReadAllAsync($"SELECT source || ':' || record_key, cohort_id FROM {state}.identity_records");
            Assert.Equal(expected, UnionFind.Canonical(rows.Select(r => ((string)r[0]!, (string)r[1]!))));
        }, seed: "0N0XIzNsQ0O2", iter: warehouse.Dialect == Sql.SqlDialectName.DuckDb ? 12 : 5, threads: 1);
    }

    [Fact]
    public async Task Golden_records_apply_each_survivorship_rule()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        await warehouse.ExecuteScriptAsync("""
            CREATE TABLE accounts (id BIGINT, email VARCHAR, name VARCHAR, city VARCHAR, updated_at TIMESTAMP);
            CREATE TABLE crm (id BIGINT, email VARCHAR, name VARCHAR, city VARCHAR, phone VARCHAR, updated_at TIMESTAMP);
            INSERT INTO accounts VALUES (1, 'ada@x.example', NULL, 'London', TIMESTAMP '2026-01-01 00:00:00');
            INSERT INTO crm VALUES (10, 'ada@x.example', 'Ada L.', 'Paris', '+44 20 7946 0000', TIMESTAMP '2026-03-01 00:00:00'),
                                   (11, 'ADA@x.example', 'Ada Lovelace', 'Paris', '+44 20 7946 0001', TIMESTAMP '2026-02-01 00:00:00'),
                                   (12, 'ada@x.example', '', NULL, '+44 20 7946 0001', NULL),
                                   (20, 'bob@x.example', 'Bob', NULL, NULL, NULL);
            """);
        const string rules = """
            identifiers: {email: {}}
            sources:
              accounts: {table: accounts, key: id, timestamp: updated_at, columns: {email: email}}
              crm: {table: crm, key: id, timestamp: updated_at, columns: {email: email}}
            profile:
              name: {rule: first_non_null, from: [accounts.name, crm.name]}
              city: {rule: most_frequent, from: [accounts.city, crm.city]}
              last_city: {rule: most_recent, from: [accounts.city, crm.city]}
              phone: {rule: most_frequent, from: [crm.phone]}
              account_email: {from: [accounts.email]}
            """;
        await Engine(warehouse, state, rules).RunAsync();
        var rows = await warehouse.ReadAllAsync($"SELECT records, sources, name, city, last_city, phone, account_email FROM {state}.identity_profiles ORDER BY records DESC");
        Assert.Equal(2, rows.Count);
        // name: accounts has none, so crm's most recent non-empty; city: Paris twice; last_city: crm 10 (March).
        Assert.Equal(new object?[] { 4L, 2L, "Ada L.", "Paris", "Paris", "+44 20 7946 0001", "ada@x.example" }, rows[0]);
        Assert.Equal(new object?[] { 1L, 1L, "Bob", null, null, null, null }, rows[1]);
    }

    [Fact]
    public async Task An_interrupted_run_leaves_the_previous_graph_intact()
    {
        var (warehouse, state) = await WithPeopleAsync((1, null, "a@x.example", null, null), (2, null, "a@x.example", null, null));
        await using var _ = warehouse;
        await Engine(warehouse, state).RunAsync();
        var before = await PartitionAsync(warehouse, state);
        await warehouse.ExecuteScriptAsync("INSERT INTO people VALUES (3, NULL, 'a@x.example', NULL, NULL)");
        foreach (var step in new[] { "extract", "graph", "output" })
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => Engine(warehouse, state, afterStep: s => s == step ? throw new OperationCanceledException() : Task.CompletedTask).RunAsync());
            Assert.Equal(before, await PartitionAsync(warehouse, state));
            Assert.Equal(1L, await warehouse.ScalarAsync($"SELECT count(*) FROM {state}.identity_runs"));
        }
        await Engine(warehouse, state).RunAsync();
        Assert.Equal(["1,2,3"], await PartitionAsync(warehouse, state));
        Assert.Equal(2L, await warehouse.ScalarAsync($"SELECT count(*) FROM {state}.identity_runs"));
    }

    [Fact]
    public async Task A_table_source_with_a_missing_column_is_reported_before_anything_runs()
    {
        var (warehouse, state) = await WithPeopleAsync((1, null, "a@x.example", null, null));
        await using var _ = warehouse;
        var e = await Assert.ThrowsAsync<CohortDiagnosticsException>(() => Engine(warehouse, state, Rules.Replace("email: email, phone", "emial: email, phone", StringComparison.Ordinal)).RunAsync());
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(DiagnosticCodes.MissingColumn, d.Code);
        Assert.Contains("email", d.Suggestions);
        Assert.Equal("sources.people.columns.emial", d.Location!.Path);
        Assert.Equal(0L, await warehouse.ScalarAsync($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{state}'"));
    }
}

public sealed class DuckDbEngineTests(DuckDbIdentityEngine engine) : EngineTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresEngineTests(PostgresIdentityEngine engine) : EngineTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;
