using Cohort.Core.Time;
using Cohort.Sql.Compile;
using Cohort.Sync.Definitions;
using Cohort.Sync.Planning;
using Cohort.Sync.State;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Testing.Sync;

namespace Cohort.Sync.Tests;

/// <summary>The canonical payload: the same text (and so the same md5) for the same values on DuckDB and PostgreSQL.</summary>
public sealed class PayloadTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly SyncTestProject _files = new();

    public void Dispose() => _files.Dispose();

    private const string Values = """
        DELETE FROM orders;
        DELETE FROM people;
        INSERT INTO people VALUES
            (1, 'plain@example.com', '+1 555', 'Zoë "Q" O''Neil', 12.50, TRUE, 'a', TIMESTAMP '2024-02-29 23:59:59.123456', DATE '2000-02-29', ARRAY['x', 'y "z"']),
            (2, NULL, NULL, 'back\slash/and\ttab', -0.01, TRUE, NULL, TIMESTAMP '1999-12-31 00:00:00', NULL, ARRAY[]::VARCHAR[]),
            (3, 'line
        break@example.com', '', '日本語 ✓', 1000000.00, TRUE, 'b', NULL, DATE '1970-01-01', NULL);
        INSERT INTO orders VALUES (1, 1, 10.25), (2, 1, 0.75), (3, 3, 99.99);
        """;

    [Fact]
    public async Task Payload_text_and_hash_are_identical_on_duckdb_and_postgres()
    {
        _files.Sync("p", "model: people\ndestination: memory\nmode: mirror\nfields: [email, name, score, active, segment, signup_at, birthday, tags, spend]\nidentifiers: {email: email, phone: phone, date_of_birth: birthday}\n");
        var project = _files.Load();
        var sync = SyncProject.Bind(project, SyncTestProject.Catalog(new MemoryDestinationStore())).Find("p")!;
        var compiler = new AudienceCompiler(project.Schema, project.Audiences);
        var evaluation = EvaluationContext.Utc(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        await using var duck = await DuckDbTestDatabase.CreateAsync();
        await using var pg = await postgres.OpenWarehouseAsync();
        var results = new List<List<(string Key, string Payload, string Md5)>>();
        foreach (var warehouse in new[] { duck.Warehouse, pg })
        {
            await warehouse.ExecuteScriptAsync(SyncTestProject.SeedSql(1));
            await warehouse.ExecuteScriptAsync(Values);
            var dialect = StateDialect.For(warehouse.Dialect);
            var select = PayloadSql.Result(sync, compiler, evaluation, dialect);
            var rows = await warehouse.ReadAllAsync(select with { Text = $"SELECT key, payload, md5(payload) FROM (\n{select.Text}\n) AS r ORDER BY key" });
            results.Add([.. rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!))]);
            await warehouse.ExecuteScriptAsync("DROP TABLE orders; DROP TABLE people");
        }
        Assert.Equal(3, results[0].Count);
        Assert.Equal(results[0][1].Payload, results[1][1].Payload);
        Assert.Equal(results[0], results[1]);
        var first = results[0][0].Payload;
        Assert.Equal(
            """{"fields":{"active":true,"birthday":"2000-02-29","email":"plain@example.com","name":"Zoë \"Q\" O'Neil","score":12.5,"segment":"a","signup_at":"2024-02-29T23:59:59.123456Z","spend":11,"tags":["x","y \"z\""]},"identifiers":{"date_of_birth":"2000-02-29","email":"plain@example.com","phone":"+1 555"}}""",
            first);
        using var parsed = System.Text.Json.JsonDocument.Parse(results[0][2].Payload);
        Assert.Equal("line\nbreak@example.com", parsed.RootElement.GetProperty("fields").GetProperty("email").GetString());
    }
}
