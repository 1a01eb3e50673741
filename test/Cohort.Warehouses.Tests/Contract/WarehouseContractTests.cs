using Cohort.Warehouses;
using Xunit.Abstractions;

namespace Cohort.Warehouses.Tests.Contract;

/// <summary>
/// The behaviour every connector must have. Each engine runs all of it through a small subclass that says
/// how to open an isolated warehouse and supplies the few statements and codes that differ per engine.
/// Every test gets a fresh warehouse (DuckDB: a new in-memory database; PostgreSQL: a new schema).
/// </summary>
public abstract partial class WarehouseContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private IWarehouse? _warehouse;

    protected ITestOutputHelper Output { get; } = output;

    protected IWarehouse W => _warehouse ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The schema unqualified tables are created in.</summary>
    protected abstract string Schema { get; }

    /// <summary>Opens a warehouse on this test's isolated database or schema.</summary>
    protected abstract Task<IWarehouse> OpenAsync(bool includeErrorDetail = false);

    /// <summary>A query whose result is far too large to buffer (billions of rows), one bigint column.</summary>
    protected abstract string HugeResultSql { get; }

    /// <summary>A statement that runs for minutes unless cancelled.</summary>
    protected abstract string LongRunningSql { get; }

    /// <summary>Column definitions for two types Cohort does not support, named odd1 and odd2, and their raw spellings.</summary>
    protected abstract (string Ddl, string RawType1, string RawType2) UnsupportedColumns { get; }

    /// <summary>Whether a script that fails part-way leaves none of its statements applied.</summary>
    protected abstract bool ScriptsAreAtomic { get; }

    /// <summary>The vendor codes for a syntax error, a missing table and a failed cast.</summary>
    protected abstract (string Syntax, string MissingTable, string BadCast, string Duplicate) Codes { get; }

    public async Task InitializeAsync() => _warehouse = await OpenAsync();

    public async Task DisposeAsync()
    {
        if (_warehouse is not null)
            await _warehouse.DisposeAsync();
    }

    /// <summary>Asserts both the exact CLR type and the value.</summary>
    protected static void AssertValue<T>(T expected, object? actual)
    {
        var typed = Assert.IsType<T>(actual);
        Assert.Equal(expected, typed);
    }

    protected static void AssertUtc(DateTime expected, object? actual)
    {
        var value = Assert.IsType<DateTime>(actual);
        Assert.Equal(expected, value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    protected static void AssertList(object?[] expected, object? actual)
    {
        var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(actual);
        Assert.Equal(expected, list);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i]?.GetType(), list[i]?.GetType());
    }
}
