using Cohort.Sql;

namespace Cohort.Warehouses;

/// <summary>
/// A failure reported by a warehouse or its driver. The message never contains row values unless the
/// connection was opened with <see cref="WarehouseOptions.IncludeErrorDetail"/>. Programmer misuse (a wrong
/// dialect, bad parameters, bad options) is reported with plain .NET exceptions instead.
/// </summary>
public sealed class WarehouseException : Exception
{
    public WarehouseException(
        string message,
        SqlDialectName dialect,
        WarehouseErrorKind kind,
        string? vendorCode,
        bool isTransient,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Dialect = dialect;
        Kind = kind;
        VendorCode = vendorCode;
        IsTransient = isTransient;
    }

    public SqlDialectName Dialect { get; }

    public WarehouseErrorKind Kind { get; }

    /// <summary>
    /// The engine's own code: PostgreSQL's SQLSTATE (<c>42P01</c>), DuckDB's error type (<c>Catalog</c>),
    /// which has no SQLSTATE. Null when the driver failed before the engine answered.
    /// </summary>
    public string? VendorCode { get; }

    /// <summary>True when the same operation may succeed if retried (network blips, deadlocks, conflicts).</summary>
    public bool IsTransient { get; }
}
