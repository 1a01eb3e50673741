using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Testing;

public static class WarehouseTestExtensions
{
    /// <summary>Hand-written SQL for this warehouse's dialect, with parameters $1..$n in the order given.</summary>
    public static CompiledSql Sql(this IWarehouse warehouse, string text, params (SqlParameterType Type, object? Value)[] parameters) =>
        new(warehouse.Dialect, text, [.. parameters.Select((p, i) => new SqlParameter(i + 1, p.Type, p.Value!))]);

    /// <summary>Every row of a query. For tests only: production code streams.</summary>
    public static async Task<List<object?[]>> ReadAllAsync(this IWarehouse warehouse, CompiledSql sql, CancellationToken cancellationToken = default)
    {
        var rows = new List<object?[]>();
        await foreach (var row in warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
            rows.Add(row);
        return rows;
    }

    public static Task<List<object?[]>> ReadAllAsync(this IWarehouse warehouse, string text, params (SqlParameterType Type, object? Value)[] parameters) =>
        warehouse.ReadAllAsync(warehouse.Sql(text, parameters));

    public static Task<object?> ScalarAsync(this IWarehouse warehouse, string text, params (SqlParameterType Type, object? Value)[] parameters) =>
        warehouse.ScalarAsync(warehouse.Sql(text, parameters));

    public static Task<long> ExecuteAsync(this IWarehouse warehouse, string text, params (SqlParameterType Type, object? Value)[] parameters) =>
        warehouse.ExecuteAsync(warehouse.Sql(text, parameters));
}
