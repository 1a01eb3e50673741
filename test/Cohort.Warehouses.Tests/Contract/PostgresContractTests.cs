using Cohort.Testing.Postgres;
using Xunit.Abstractions;

namespace Cohort.Warehouses.Tests.Contract;

public sealed class PostgresContractTests(PostgresDatabase database, ITestOutputHelper output)
    : WarehouseContractTests(output), IClassFixture<PostgresDatabase>
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];
    private bool _created;

    protected override string Schema => _schema;

    protected override async Task<IWarehouse> OpenAsync(bool includeErrorDetail = false)
    {
        var warehouse = await WarehouseFactory.OpenAsync(
            WarehouseOptions.Postgres(database.ConnectionString, _schema) with { IncludeErrorDetail = includeErrorDetail });
        if (!_created)
        {
            await warehouse.ExecuteScriptAsync($"CREATE SCHEMA {_schema}");
            _created = true;
        }
        return warehouse;
    }

    // A set-returning function in the select list streams; in FROM it would be materialised first.
    protected override string HugeResultSql => "SELECT generate_series(1::bigint, 10000000000) AS n";

    protected override string LongRunningSql => "SELECT pg_sleep(120)";

    protected override (string Ddl, string RawType1, string RawType2) UnsupportedColumns =>
        ("odd1 uuid, odd2 jsonb", "uuid", "jsonb");

    // Npgsql sends a script's statements as one batch, which PostgreSQL runs as one implicit transaction.
    protected override bool ScriptsAreAtomic => true;

    protected override (string Syntax, string MissingTable, string BadCast, string Duplicate) Codes =>
        ("42601", "42P01", "22P02", "23505");
}
