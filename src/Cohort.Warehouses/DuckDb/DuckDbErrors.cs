using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Cohort.Warehouses.DuckDb;

/// <summary>Classifies DuckDB errors. DuckDB has no SQLSTATE; its error type (Parser, Catalog, …) is the vendor code.</summary>
internal static class DuckDbErrors
{
    public static WarehouseException Translate(DuckDBException exception, DuckDbWarehouse owner)
    {
        var code = CodeOf(exception);
        var kind = KindOf(code, exception.Message);
        return owner.EngineErrorFor(kind, code, exception.Message.TrimEnd(), isTransient: kind == WarehouseErrorKind.Conflict, exception);
    }

    /// <summary>
    /// Errors raised while preparing a statement arrive with type Invalid; their message starts with the real
    /// type ("Parser Error: …", "Catalog Error: …").
    /// </summary>
    internal static string CodeOf(DuckDBException exception)
    {
        if (exception.ErrorType != DuckDBErrorType.Invalid)
            return exception.ErrorType.ToString();
        var message = exception.Message;
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !message[..colon].EndsWith(" Error", StringComparison.Ordinal))
            return nameof(DuckDBErrorType.Invalid);
        var prefix = message[..(colon - " Error".Length)].Replace(" ", "", StringComparison.Ordinal);
        return prefix switch
        {
            "TransactionContext" => nameof(DuckDBErrorType.Transaction),
            "ExtensionAutoloading" => nameof(DuckDBErrorType.Autoload),
            _ => Enum.TryParse<DuckDBErrorType>(prefix, ignoreCase: true, out var type) ? type.ToString() : prefix,
        };
    }

    private static WarehouseErrorKind KindOf(string code, string message)
    {
        var missing = message.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            || message.Contains("not found", StringComparison.OrdinalIgnoreCase);
        return code switch
        {
            "Catalog" or "Binder" when missing => WarehouseErrorKind.UndefinedObject,
            "Parser" or "Syntax" or "Catalog" or "Binder" or "Planner" or "NotImplemented" or "ParameterNotResolved"
                or "ParameterNotAllowed" or "MismatchType" or "Expression" or "Autoload" or "MissingExtension"
                or "Dependency" => WarehouseErrorKind.InvalidStatement,
            "Conversion" or "InvalidInput" or "OutOfRange" or "Decimal" or "DivideByZero" or "InvalidType"
                or "Sequence" => WarehouseErrorKind.InvalidData,
            "Constraint" => WarehouseErrorKind.Constraint,
            "Transaction" => WarehouseErrorKind.Conflict,
            "Permission" => WarehouseErrorKind.Permission,
            "Io" or "Connection" or "Network" or "Http" => WarehouseErrorKind.Connection,
            "OutOfMemory" => WarehouseErrorKind.Resource,
            "Interrupt" => WarehouseErrorKind.Timeout,
            _ => WarehouseErrorKind.Other,
        };
    }
}
