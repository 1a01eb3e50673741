using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql.Compile;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Sql.Tests.Engines;

/// <summary>
/// Values that look like SQL are bound parameters and match only themselves; identifiers that need quoting
/// (quotes, spaces, capitals, reserved words) are quoted so they cannot break out. Checked on each engine.
/// </summary>
public abstract class InjectionTests
{
    protected abstract Task<IWarehouse> OpenAsync();

    private const string Table = "Weird \"Table\"; DROP TABLE victims; --";
    private const string EventTable = "select";

    private static readonly SchemaDefinition Schema = new(
    [
        new ModelDefinition("people", ModelKind.Parent, new ModelSource.Table(null, Table),
            [new("Id", DataType.Integer), new("we\"ird col", DataType.String), new("order", DataType.String)], PrimaryKey: "Id"),
        new ModelDefinition("events", ModelKind.Event, new ModelSource.Table(null, EventTable),
            [new("Person Id", DataType.Integer), new("from", DataType.String), new("at", DataType.Timestamp)],
            TimestampColumn: "at", EventNameColumn: "from"),
    ],
    [new RelationshipDefinition("events", "people", "events", Cardinality.OneToMany, "Id", "Person Id")],
    []);

    private static readonly EvaluationContext At = EvaluationContext.Utc(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private static readonly string[] Hostile =
    [
        "'; DROP TABLE victims; --",
        "x' OR '1'='1",
        "%",
        "_",
        "\\",
        "$1",
        "\"; DROP TABLE victims; --",
        "ünï\u0301cödé 🎉",
    ];

    [Fact]
    public async Task Hostile_values_and_identifiers_select_exactly_what_they_say_and_change_nothing()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.ExecuteScriptAsync("CREATE TABLE victims (id INTEGER); INSERT INTO victims VALUES (1)");
        await warehouse.ExecuteScriptAsync(
            $"CREATE TABLE \"{Table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" (\"Id\" BIGINT, \"we\"\"ird col\" VARCHAR, \"order\" VARCHAR)");
        await warehouse.ExecuteScriptAsync($"CREATE TABLE \"{EventTable}\" (\"Person Id\" BIGINT, \"from\" VARCHAR, \"at\" TIMESTAMP)");
        await warehouse.BulkLoadAsync(Table, ["Id", "we\"ird col", "order"],
            Hostile.Select((v, i) => new object?[] { (long)i + 1, v, v }).Append([99L, "plain", "plain"]));
        await warehouse.BulkLoadAsync(EventTable, ["Person Id", "from", "at"],
            Hostile.Select((v, i) => new object?[] { (long)i + 1, v, new DateTime(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc) }));

        for (var i = 0; i < Hostile.Length; i++)
        {
            var value = Hostile[i];
            var equalsValue = new AllCondition(
            [
                new PropertyCondition("we\"ird col", new PropertyTest(PropertyOperator.Equals, new Operand.Value(new Literal.String(value)))),
                new PropertyCondition("order", new PropertyTest(PropertyOperator.Contains, new Operand.Value(new Literal.String(value)))),
                new EventCondition(null, [value], null, new TimeWindow.WithinLast(new Duration(7, TimeUnit.Day)), Measure.Performed),
            ]);
            var audience = new AudienceDefinition("hostile", "people", equalsValue);
            var sql = new AudienceCompiler(Schema, [audience]).Members(audience, At, warehouse.Dialect);
            // Values never reach the text: the only quoted strings the compiler writes are its own constants.
            if (value.Contains('\'', StringComparison.Ordinal)) Assert.DoesNotContain(value, sql.Text, StringComparison.Ordinal);
            var keys = new List<long>();
            await foreach (var row in warehouse.QueryAsync(sql)) keys.Add((long)row[0]!);
            Assert.Equal([(long)i + 1], keys);
        }
        Assert.Equal(1L, Convert.ToInt64(await warehouse.ScalarAsync("SELECT count(*) FROM victims")));
    }
}

public sealed class DuckDbInjectionTests : InjectionTests
{
    protected override Task<IWarehouse> OpenAsync() => WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb() with { IncludeErrorDetail = true });
}

public sealed class PostgresInjectionTests(PostgresDatabase db) : InjectionTests, IClassFixture<PostgresDatabase>
{
    protected override Task<IWarehouse> OpenAsync() => WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(db.ConnectionString) with { IncludeErrorDetail = true });
}
