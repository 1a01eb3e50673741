using Cohort.Sql;

namespace Cohort.Warehouses;

/// <summary>Every message this assembly puts in an exception. None of them contains a row value.</summary>
internal static class WarehouseMessages
{
    public static string EngineName(SqlDialectName dialect) => dialect switch
    {
        SqlDialectName.DuckDb => "DuckDB",
        SqlDialectName.Postgres => "PostgreSQL",
        _ => dialect.ToString(),
    };

    // --- failures reported by the warehouse ---

    public static string Failed(SqlDialectName dialect, string? code, string vendorMessage) =>
        $"{EngineName(dialect)} error{CodeSuffix(code)}: {vendorMessage}";

    public static string FailedWithheld(SqlDialectName dialect, WarehouseErrorKind kind, string? code) =>
        $"{EngineName(dialect)} reported {Describe(kind)}{CodeSuffix(code)}. Its message is withheld because it can " +
        "contain row values; open the warehouse with IncludeErrorDetail to see it.";

    public static string ValueUnreadable(string column, string rawType) =>
        $"A value in column '{column}' ({rawType}) cannot be read as a supported .NET value.";

    public static string ValueOutOfRange(string column, string rawType) =>
        $"A value in column '{column}' ({rawType}) does not fit in a 64-bit integer.";

    // --- misuse ---

    public static string DialectMismatch(SqlDialectName sqlDialect, SqlDialectName warehouseDialect) =>
        $"The SQL was compiled for {EngineName(sqlDialect)} but this warehouse is {EngineName(warehouseDialect)}.";

    public static string ParameterOrdinals(int count) =>
        $"Parameters must be numbered $1..${count} exactly once each, in order.";

    public static string ParameterValue(int ordinal, SqlParameterType type, Type actual) =>
        $"Parameter ${ordinal} is declared {type.ToString().ToLowerInvariant()} but its value is a {actual.Name}.";

    public static string ParameterLocalTime(int ordinal) =>
        $"Parameter ${ordinal} is a DateTime of kind Local; timestamps must be UTC (Kind Utc, or Unspecified holding UTC).";

    public static string BulkValue(string column, string targetType, Type actual) =>
        $"Column '{column}' ({targetType}) cannot take a value of type {actual.Name}.";

    public static string BulkRowWidth(int expected, int actual) =>
        $"A row has {actual} values but {expected} columns were named.";

    public static string BulkUnknownColumn(string table, string column) =>
        $"Table '{table}' has no column '{column}'.";

    public static string BulkNoColumns => "At least one column must be named.";

    public static string BulkDuplicateColumn(string column) => $"Column '{column}' is named twice.";

    public static string TableName(string name) =>
        $"'{name}' is not a table name: expected 'table' or 'schema.table'.";

    public static string EmptyScript => "The script is empty.";

    public static string ReaderNotPositioned => "Call ReadAsync and check that it returned true before reading Current.";

    // --- options ---

    public static string OptionRequired(string option, WarehouseType type) =>
        $"{option} is required for a {type.ToString().ToLowerInvariant()} warehouse.";

    public static string OptionNotApplicable(string option, WarehouseType type) =>
        $"{option} does not apply to a {type.ToString().ToLowerInvariant()} warehouse.";

    public static string OptionPositive(string option) => $"{option} must be positive.";

    private static string CodeSuffix(string? code) => code is null ? "" : $" [{code}]";

    private static string Describe(WarehouseErrorKind kind) => kind switch
    {
        WarehouseErrorKind.InvalidData => "a data error",
        WarehouseErrorKind.Constraint => "a constraint violation",
        _ => "an error",
    };
}
