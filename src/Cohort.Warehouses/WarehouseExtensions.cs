using System.Runtime.CompilerServices;
using Cohort.Sql;

namespace Cohort.Warehouses;

public static class WarehouseExtensions
{
    /// <summary>Streams the rows of a query; breaking out of the loop stops the query.</summary>
    public static async IAsyncEnumerable<object?[]> QueryAsync(
        this IWarehouse warehouse,
        CompiledSql sql,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        await using var reader = await warehouse.OpenReaderAsync(sql, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return reader.Current;
    }
}
