using System.Globalization;
using System.Text;
using Cohort.Identity.Matching;
using Cohort.Warehouses;
using Cohort.Testing;

namespace Cohort.Identity.Tests;

/// <summary>The C# reference on the published vectors.</summary>
public sealed class SimilarityReferenceTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.9611)]
    [InlineData("DWAYNE", "DUANE", 0.84)]
    [InlineData("DIXON", "DICKSONX", 0.8133)]
    [InlineData("CRATE", "TRACE", 0.7333)]
    [InlineData("0", "00", 0.85)]
    [InlineData("abc", "abc", 1.0)]
    [InlineData("", "", 0.0)] // DuckDB scores empty strings 0, even against each other
    [InlineData("", "a", 0.0)]
    public void Jaro_winkler_matches_the_published_values(string a, string b, double expected)
    {
        Assert.Equal(expected, Similarity.JaroWinkler(a, b), 4);
        Assert.Equal(expected, Similarity.JaroWinkler(b, a), 4);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    [InlineData("José", "Jose", 2)] // UTF-8 bytes, like DuckDB: é is two bytes
    public void Levenshtein_matches_the_published_values(string a, string b, int expected) =>
        Assert.Equal(expected, Similarity.Levenshtein(a, b));

    [Theory]
    [InlineData("Robert", "R163")]
    [InlineData("Rupert", "R163")]
    [InlineData("Rubin", "R150")]
    [InlineData("Ashcraft", "A261")]
    [InlineData("Ashcroft", "A261")]
    [InlineData("Tymczak", "T522")]
    [InlineData("Pfister", "P236")]
    [InlineData("Honeyman", "H555")]
    [InlineData("Lee", "L000")]
    [InlineData("Gutierrez", "G362")]
    [InlineData("Jackson", "J250")]
    [InlineData("o'BRIEN-smith 2", "O165")]
    [InlineData("Müller", "M460")] // ü is not an ASCII letter: m, l, l, e, r
    [InlineData("123 !", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Soundex_matches_the_classic_vectors(string? name, string? expected) =>
        Assert.Equal(expected, Similarity.Soundex(name));
}

/// <summary>The SQL of <see cref="SimilaritySql"/> agrees with the C# reference, on every engine.</summary>
public abstract class SimilarityTests<TEngine>(TEngine engine) where TEngine : IdentityEngineFixture
{
    private static readonly string[] Names =
    [
        "Robert", "Rupert", "Rubin", "Ashcraft", "Ashcroft", "Tymczak", "Pfister", "Honeyman", "Lee", "Gutierrez",
        "Jackson", "MARTHA", "MARHTA", "DWAYNE", "DUANE", "DIXON", "DICKSONX", "José", "Jose", "Müller", "Mueller",
        "Zoë", "Ærøskøbing", "Łukasz", "Nguyễn", "東京", "O'Brien", "van der Berg", "Hwang", "Whitworth", "Schmidt",
        "Smith", "Smyth", "Catherine", "Kathryn", "jonathan.smith@example.com", "+44 20 7946 0958", "a", "",
    ];

    private const string Alphabet = "aabbcdehlmrstwyéü日 -'";

    /// <summary>Seeded pairs: a name with typos against itself, unrelated strings, short strings over few letters.</summary>
    internal static List<(string A, string B)> Pairs(int count, int seed)
    {
        var random = new Random(seed);
        string RandomText(int max) => new([.. Enumerable.Range(0, random.Next(max + 1)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        string Typos(string s)
        {
            var text = new StringBuilder(s);
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var at = random.Next(text.Length + 1);
                var letter = Alphabet[random.Next(Alphabet.Length)];
                switch (random.Next(4))
                {
                    case 0 when at + 1 < text.Length: (text[at], text[at + 1]) = (text[at + 1], text[at]); break; // swap
                    case 1 when at < text.Length: text.Remove(at, 1); break; // drop
                    case 2 when at < text.Length: text[at] = letter; break; // substitute
                    default: text.Insert(at, letter); break; // insert
                }
            }
            return text.ToString();
        }
        var pairs = new List<(string, string)>();
        foreach (var name in Names) pairs.Add((name, name));
        while (pairs.Count < count)
        {
            var name = Names[random.Next(Names.Length)];
            pairs.Add(random.Next(4) switch
            {
                0 => (name, Names[random.Next(Names.Length)]),
                1 => (RandomText(4), RandomText(4)),
                2 => (RandomText(12), RandomText(12)),
                _ => random.Next(2) == 0 ? (name, Typos(name)) : (Typos(name), name),
            });
        }
        return pairs;
    }

    /// <summary>Evaluates every function on every pair in one query and compares each value with the reference.</summary>
    internal static async Task AssertAgreesAsync(IWarehouse warehouse, string state, List<(string A, string B)> pairs)
    {
        var schema = IdentitySql.Quote(state);
        await warehouse.ExecuteScriptAsync($"CREATE SCHEMA IF NOT EXISTS {schema}");
        foreach (var statement in SimilaritySql.Setup(warehouse.Dialect, schema)) await warehouse.ExecuteScriptAsync(statement);
        await warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS {schema}.pairs; CREATE TABLE {schema}.pairs (id INTEGER, a TEXT, b TEXT)");
        await warehouse.BulkLoadAsync($"{state}.pairs", ["id", "a", "b"], pairs.Select((p, i) => new object?[] { i, p.A, p.B }).ToList());
        var d = warehouse.Dialect;
        var rows = await warehouse.ReadAllAsync($"""
            SELECT id, {SimilaritySql.JaroWinkler(d, schema, "a", "b")}, {SimilaritySql.Levenshtein(d, schema, "a", "b")},
                   {SimilaritySql.Soundex(d, "a")}, {SimilaritySql.Soundex(d, "b")}
            FROM {schema}.pairs ORDER BY id
            """);
        Assert.Equal(pairs.Count, rows.Count);
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var (a, b) = pairs[Convert.ToInt32(row[0], CultureInfo.InvariantCulture)];
            var jw = Convert.ToDouble(row[1], CultureInfo.InvariantCulture);
            if (Math.Abs(jw - Similarity.JaroWinkler(a, b)) > 1e-9) failures.Add($"jw('{a}', '{b}') = {jw:R}, reference {Similarity.JaroWinkler(a, b):R}");
            var lev = Convert.ToInt64(row[2], CultureInfo.InvariantCulture);
            if (lev != Similarity.Levenshtein(a, b)) failures.Add($"levenshtein('{a}', '{b}') = {lev}, reference {Similarity.Levenshtein(a, b)}");
            if ((string?)row[3] != Similarity.Soundex(a)) failures.Add($"soundex('{a}') = {row[3] ?? "NULL"}, reference {Similarity.Soundex(a) ?? "NULL"}");
            if ((string?)row[4] != Similarity.Soundex(b)) failures.Add($"soundex('{b}') = {row[4] ?? "NULL"}, reference {Similarity.Soundex(b) ?? "NULL"}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public async Task Sql_similarity_equals_the_reference_on_random_pairs()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        await AssertAgreesAsync(warehouse, state, Pairs(600, seed: 20261128));
    }

    [Fact]
    public async Task Sql_similarity_is_null_on_null_and_soundex_is_null_without_letters()
    {
        var (warehouse, state) = await engine.CreateAsync();
        await using var _ = warehouse;
        var schema = IdentitySql.Quote(state);
        foreach (var statement in SimilaritySql.Setup(warehouse.Dialect, schema)) await warehouse.ExecuteScriptAsync(statement);
        var d = warehouse.Dialect;
        var row = (await warehouse.ReadAllAsync($"""
            SELECT {SimilaritySql.JaroWinkler(d, schema, "CAST(NULL AS TEXT)", "'a'")}, {SimilaritySql.Levenshtein(d, schema, "'a'", "CAST(NULL AS TEXT)")},
                   {SimilaritySql.Soundex(d, "CAST(NULL AS TEXT)")}, {SimilaritySql.Soundex(d, "'12 -é'")}, {SimilaritySql.Soundex(d, "'Honeyman'")}
            """)).Single();
        Assert.Equal([null, null, null, null, "H555"], row);
    }
}

public sealed class DuckDbSimilarityTests(DuckDbIdentityEngine engine) : SimilarityTests<DuckDbIdentityEngine>(engine), IClassFixture<DuckDbIdentityEngine>;

public sealed class PostgresSimilarityTests(PostgresIdentityEngine engine) : SimilarityTests<PostgresIdentityEngine>(engine), IClassFixture<PostgresIdentityEngine>;
