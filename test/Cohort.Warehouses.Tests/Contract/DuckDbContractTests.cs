using Xunit.Abstractions;

namespace Cohort.Warehouses.Tests.Contract;

public sealed class DuckDbContractTests(ITestOutputHelper output) : WarehouseContractTests(output)
{
    protected override string Schema => "main";

    protected override Task<IWarehouse> OpenAsync(bool includeErrorDetail = false) =>
        WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb() with { IncludeErrorDetail = includeErrorDetail });

    protected override string HugeResultSql => "SELECT range AS n FROM range(10000000000)";

    protected override string LongRunningSql => "SELECT count(*) FROM range(1000000000000)";

    protected override (string Ddl, string RawType1, string RawType2) UnsupportedColumns =>
        ("odd1 STRUCT(a INTEGER, b VARCHAR), odd2 UUID", "STRUCT(a INTEGER, b VARCHAR)", "UUID");

    // DuckDB runs a script's statements one by one (a script may hold its own BEGIN/COMMIT).
    protected override bool ScriptsAreAtomic => false;

    protected override (string Syntax, string MissingTable, string BadCast, string Duplicate) Codes =>
        ("Parser", "Catalog", "Conversion", "Constraint");
}
