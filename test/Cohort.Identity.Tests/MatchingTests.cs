using Cohort.Testing;
using Cohort.Warehouses;

namespace Cohort.Identity.Tests;

/// <summary>
/// Probabilistic matching end to end on every engine: a generated population where every person has two records
/// that share no identifier, so only matching can join them; typos, common surnames, missing fields and a pair
/// whose union would break a limit rule.
/// </summary>
public abstract class MatchingTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    private const string Rules = """
        identifiers:
          user_id: {limit: 1}
          email: {}
        priority: [user_id, email]
        max_profile_size: 10
        sources:
          people:
            table: people
            key: id
            columns: {uid: user_id, email: email}
        matching:
          threshold: 0.99
          fields:
            first_name: {columns: {people: first}, normalize: name, compare: [exact, {jaro_winkler: 0.9}], term_frequency: true}
            last_name: {columns: {people: last}, normalize: name, compare: [exact, phonetic, {jaro_winkler: 0.88}], term_frequency: true}
            birth_date: {columns: {people: dob}, normalize: date, compare: [exact, {levenshtein: 1}]}
            zip: {columns: {people: zip}, normalize: code, compare: [exact]}
          blocking:
            - [last_name, zip]
            - [birth_date]
            - [first_name, phonetic(last_name)]
        """;

    private static readonly string[] Firsts = ["olivia", "liam", "emma", "noah", "ava", "elijah", "sophia", "james", "isabella", "lucas", "mia", "mason", "amelia", "ethan", "harper", "logan", "evelyn", "oliver", "abigail", "jacob"];
    private static readonly string[] Lasts = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris"];

    private sealed record Row(long Id, long Person, string? Uid, string? Email, string? First, string? Last, string? Dob, string? Zip);

    /// <summary>300 people, two records each with different e-mails (no shared identifier); every tenth second record has a typo or a missing field.</summary>
    private static List<Row> Population()
    {
        var random = new Random(7);
        var rows = new List<Row>();
        var id = 0L;
        for (var p = 0; p < 300; p++)
        {
            var first = Firsts[random.Next(Firsts.Length)];
            var last = Lasts[random.Next(Lasts.Length)];
            var dob = $"19{random.Next(40, 99)}-{random.Next(1, 13):00}-{random.Next(1, 29):00}";
            var zip = $"{random.Next(10000, 10040)}";
            rows.Add(new Row(++id, p, null, $"p{p}a@mail.example", first, last, dob, zip));
            var (f2, l2, d2) = (p % 10) switch
            {
                1 => (first + first[^1], last, dob),                   // a typo in the first name (a doubled letter)
                2 => (first, last, (string?)null),                     // no birth date
                3 => (first, last, dob[..^1] + (dob[^1] == '1' ? '2' : '1')), // one digit off
                _ => (first, last, dob),
            };
            rows.Add(new Row(++id, p, null, $"p{p}b@mail.example", f2.ToUpperInvariant(), " " + l2, d2, zip));
        }
        return rows;
    }

    private async Task<(IWarehouse Warehouse, string State)> LoadAsync(List<Row> rows)
    {
        var (warehouse, state) = await engine.CreateAsync();
        await warehouse.ExecuteScriptAsync("CREATE TABLE people (id BIGINT, uid VARCHAR, email VARCHAR, first VARCHAR, last VARCHAR, dob VARCHAR, zip VARCHAR)");
        await warehouse.BulkLoadAsync("people", ["id", "uid", "email", "first", "last", "dob", "zip"], rows.Select(r => new object?[] { r.Id, r.Uid, r.Email, r.First, r.Last, r.Dob, r.Zip }).ToList());
        return (warehouse, state);
    }

    private static IdentityEngine Engine(IWarehouse warehouse, string state) =>
        new(warehouse, EngineTests<TEngine>.Parse(Rules), TimeProvider.System, new IdentityRunOptions { StateSchema = state });

    private static async Task<Dictionary<string, string>> CohortsAsync(IWarehouse warehouse, string state, string column = "cohort_id") =>
        (await warehouse.ReadAllAsync($"SELECT record_key, {column} FROM {state}.identity_records")).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

    [Fact]
    public async Task Records_without_a_shared_identifier_are_joined_by_their_fields_and_different_people_are_not()
    {
        var rows = Population();
        var (warehouse, state) = await LoadAsync(rows);
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.NotNull(result.Matching);
        Assert.True(result.Matching.CandidatePairs > 300);

        var cohorts = await CohortsAsync(warehouse, state);
        var deterministic = await CohortsAsync(warehouse, state, "deterministic_group");
        Assert.Equal(600, deterministic.Values.Distinct().Count()); // nothing shares an identifier
        var byPerson = rows.GroupBy(r => r.Person).ToList();
        var joined = byPerson.Count(g => g.Select(r => cohorts[r.Id.ToString()]).Distinct().Count() == 1);
        var wrong = cohorts.GroupBy(kv => kv.Value).Count(g => g.Select(kv => rows.Single(r => r.Id.ToString() == kv.Key).Person).Distinct().Count() > 1);
        Assert.True(joined >= 255, $"{joined} of 300 people joined");
        Assert.True(wrong <= 2, $"{wrong} cohorts mix people");
        // Exact copies, a typo in the first name and a birth date one digit off are joined for (nearly) everyone.
        foreach (var kind in new[] { 0, 1, 3 })
        {
            var people = byPerson.Where(g => g.Key % 10 == kind).ToList();
            Assert.True(people.Count(g => g.Select(r => cohorts[r.Id.ToString()]).Distinct().Count() == 1) >= people.Count * 0.9, $"kind {kind}");
        }
        // Without a birth date, a common first name, surname and zip code are evidence but not proof at 0.99: the
        // pairs are scored as more likely than not, and kept apart.
        var noDate = byPerson.First(g => g.Key % 10 == 2).ToList();
        var scored = await warehouse.ReadAllAsync($"SELECT status, match_probability FROM {state}.identity_pairs WHERE key_a = '{noDate[0].Id}' AND key_b = '{noDate[1].Id}'");
        Assert.True(Convert.ToDouble(scored.Single()[1]) > 0.5);

        // The model and the pairs are in the warehouse, and the explanation names the fields' evidence.
        var model = await warehouse.ReadAllAsync($"SELECT field, label, weight FROM {state}.identity_match_model WHERE position IS NOT NULL ORDER BY position, level");
        Assert.Equal(["first_name", "first_name", "first_name", "last_name", "last_name", "last_name", "last_name", "birth_date", "birth_date", "birth_date", "zip", "zip"], model.Select(r => (string)r[0]!));
        Assert.True(Convert.ToDouble(model[0][2]) > 0 && Convert.ToDouble(model[2][2]) < 0); // exact first name is evidence for, different is against
        var inspector = new IdentityInspector(warehouse, state);
        var first = byPerson.First(g => g.Key % 10 == 0).ToList();
        var explained = (await inspector.ExplainAsync(cohorts[first[0].Id.ToString()]))!;
        var match = Assert.Single(explained.Matches);
        Assert.Equal(("people:" + first[0].Id, "people:" + first[1].Id), (match.A.ToString(), match.B.ToString()));
        Assert.Equal(["first_name", "last_name", "birth_date", "zip"], match.Fields.Select(f => f.Field));
        Assert.All(match.Fields, f => Assert.Equal("exact", f.Level.Replace(" (term frequency)", "")));
        Assert.True(match.Probability >= 0.99);
        var why = (await inspector.WhyAsync(match.A, match.B))!;
        Assert.True(why.Together);
        Assert.Equal(MatchLink.Identifier, Assert.Single(why.Path!).Identifier);
    }

    [Fact]
    public async Task A_match_that_would_put_two_user_ids_in_one_profile_is_rejected_and_explained()
    {
        var rows = Population();
        // Person 0's two records carry different account ids: their fields agree, the limit rule keeps them apart.
        rows[0] = rows[0] with { Uid = "u-1" };
        rows[1] = rows[1] with { Uid = "u-2" };
        var (warehouse, state) = await LoadAsync(rows);
        await using var _ = warehouse;
        var result = await Engine(warehouse, state).RunAsync();
        Assert.True(result.Matching!.RejectedPairs >= 1);
        var cohorts = await CohortsAsync(warehouse, state);
        Assert.NotEqual(cohorts["1"], cohorts["2"]);
        var pair = await warehouse.ReadAllAsync($"SELECT status, reason FROM {state}.identity_pairs WHERE key_a = '1' AND key_b = '2'");
        Assert.Equal(("rejected", "limit user_id <= 1"), ((string)pair.Single()[0]!, (string)pair.Single()[1]!));
        var why = (await new IdentityInspector(warehouse, state).WhyAsync(new RecordRef("people", "1"), new RecordRef("people", "2")))!;
        Assert.False(why.Together);
        var step = Assert.Single(why.Path!);
        Assert.Equal((MatchLink.Identifier, "dropped", "limit user_id <= 1"), (step.Identifier, step.Status, step.Reason));
    }

    [Fact]
    public async Task A_block_larger_than_max_block_size_is_skipped_by_its_rule()
    {
        var rows = Population();
        var (warehouse, state) = await LoadAsync(rows);
        await using var _ = warehouse;
        var full = await Engine(warehouse, state).RunAsync();
        Assert.Equal(0, full.Matching!.SkippedBlocks);
        var small = EngineTests<TEngine>.Parse(Rules.Replace("threshold: 0.99", "threshold: 0.99\n  max_block_size: 2", StringComparison.Ordinal));
        var limited = await new IdentityEngine(warehouse, small, TimeProvider.System, new IdentityRunOptions { StateSchema = state }).RunAsync();
        Assert.True(limited.Matching!.SkippedBlocks > 0);
        Assert.True(limited.Matching.CandidatePairs < full.Matching.CandidatePairs);
        // A person's two records still meet where their block holds only them (their own birth date, mostly).
        Assert.True(limited.Matching.LinkedPairs > 200, $"{limited.Matching.LinkedPairs} linked");
    }

    [Fact]
    public async Task An_incremental_run_with_matching_is_a_full_run_and_gives_the_same_partition()
    {
        var rows = Population();
        var (warehouse, state) = await LoadAsync(rows);
        await using var _ = warehouse;
        await Engine(warehouse, state).RunAsync();
        var before = await CohortsAsync(warehouse, state);
        var again = await new IdentityEngine(warehouse, EngineTests<TEngine>.Parse(Rules), TimeProvider.System, new IdentityRunOptions { StateSchema = state, Incremental = true }).RunAsync();
        Assert.Equal("full", again.Mode);
        Assert.Equal(before, await CohortsAsync(warehouse, state)); // same partition, same (stable) ids
    }
}

public sealed class DuckDbMatchingTests(DuckDbIdentityEngine engine) : MatchingTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresMatchingTests(PostgresIdentityEngine engine) : MatchingTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;

/// <summary>
/// The Splink-style corrupted dataset (nicknames, typos, swapped names, missing values, junk identifiers) on every
/// engine: probabilistic matching must find most of what the deterministic rules miss without losing precision, and
/// both engines must give the same partition (the similarity SQL agrees and EM runs on the same pattern counts).
/// </summary>
public abstract class CorruptedMatchingTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    [Fact]
    public async Task Matching_lifts_recall_on_the_corrupted_dataset_at_unchanged_precision()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        var data = Demo.Corrupted.CorruptedPeople.Generate(new Demo.Corrupted.CorruptedOptions(1500, 7));
        await Demo.Corrupted.CorruptedPeople.WriteAsync(warehouse, data);
        var rules = EngineTests<TEngine>.Parse(Demo.Corrupted.CorruptedPeople.RulesYaml);
        var result = await new IdentityEngine(warehouse, rules, TimeProvider.System, new IdentityRunOptions { StateSchema = state }).RunAsync();
        Assert.True(result.Matching!.LinkedPairs > 100);
        var inspector = new IdentityInspector(warehouse, state);
        var withMatching = await inspector.EvaluateAsync(Demo.Corrupted.CorruptedSources.Truth);
        var deterministic = await inspector.EvaluateAsync(Demo.Corrupted.CorruptedSources.Truth, deterministicOnly: true);
        Assert.Equal(data.TruePairs, withMatching.TruePairs);
        Assert.True(withMatching.PairRecall >= 0.93, $"recall {withMatching.PairRecall:0.0000}");
        Assert.True(withMatching.PairRecall >= deterministic.PairRecall + 0.15, $"{deterministic.PairRecall:0.0000} -> {withMatching.PairRecall:0.0000}");
        Assert.True(withMatching.PairPrecision >= deterministic.PairPrecision - 0.005, $"{deterministic.PairPrecision:0.0000} -> {withMatching.PairPrecision:0.0000}");

        // The partition is a fingerprint both engines must reproduce exactly.
        var rows = await warehouse.ReadAllAsync($"SELECT source || ':' || record_key, cohort_id FROM {state}.identity_records");
        var partition = UnionFind.Canonical(rows.Select(r => ((string)r[0]!, (string)r[1]!)));
        Assert.Equal(CorruptedFingerprint.Expected(partition), CorruptedFingerprint.Of(partition));
    }
}

/// <summary>The partition the first engine to run produced, which every other engine in the same test run must match.</summary>
internal static class CorruptedFingerprint
{
    private static string? _first;
    private static readonly Lock Gate = new();

    public static string Of(List<string> partition) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", partition))));

    public static string Expected(List<string> partition)
    {
        lock (Gate) return _first ??= Of(partition);
    }
}

public sealed class DuckDbCorruptedMatchingTests(DuckDbIdentityEngine engine) : CorruptedMatchingTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresCorruptedMatchingTests(PostgresIdentityEngine engine) : CorruptedMatchingTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;
