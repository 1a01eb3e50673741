using Cohort.Warehouses.DuckDb;
using Cohort.Warehouses.Postgres;

namespace Cohort.Warehouses;

public static class WarehouseFactory
{
    /// <summary>
    /// Opens a warehouse and checks that it answers, so a bad path, host or password fails here with a
    /// <see cref="WarehouseException"/> rather than on the first query.
    /// </summary>
    public static async Task<IWarehouse> OpenAsync(WarehouseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Type switch
        {
            WarehouseType.DuckDb => await DuckDbWarehouse.OpenAsync(options, cancellationToken).ConfigureAwait(false),
            WarehouseType.Postgres => await PostgresWarehouse.OpenAsync(options, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Type, null),
        };
    }
}
