using System.Globalization;

namespace Cohort.Destinations;

/// <summary>Every user-facing message of the destination catalog and the built-in connectors. Never row data or secret values.</summary>
internal static class DestinationMessages
{
    public static string UnknownType(string type, IEnumerable<string> known) =>
        $"Unknown destination type '{type}'; use one of {string.Join(", ", known.Order(StringComparer.Ordinal))}.";

    public static string UnknownSetting(string key, string type) => $"Destinations of type '{type}' have no setting '{key}'.";

    public static string MissingSetting(string destination, string key, string description) =>
        $"Destination '{destination}' needs the setting '{key}' ({description}).";

    public static string MissingSetting(string destination, string key) => $"Destination '{destination}' needs the setting '{key}'.";

    public static string SecretMustBeReference(string key) =>
        $"'{key}' is a secret, which must not be written in a file; use {{env: VARIABLE}} (an environment variable) or {{secret: NAME}} (the secret store).";

    public static string ExpectedMap(string key) => $"'{key}' takes a mapping of names to values.";

    public static string ExpectedText(string key) => $"'{key}' takes a single value.";

    public static string ExpectedInteger(string key, string text) => $"'{key}' takes a whole number, found '{text}'.";

    public static string OutOfRange(string key, long value, long? min, long? max) =>
        $"'{key}' must be between {min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}, found {value.ToString(CultureInfo.InvariantCulture)}.";

    public static string ExpectedPositiveNumber(string key, string text) => $"'{key}' takes a number greater than 0, found '{text}'.";

    public static string ExpectedBoolean(string key, string text) => $"'{key}' takes true or false, found '{text}'.";

    public static string ExpectedChoice(string key, string text, IEnumerable<string> choices) =>
        $"'{text}' is not a valid {key}; use one of {string.Join(", ", choices)}.";

    public static string EnvironmentNotSet(string destination, string key, string variable) =>
        $"The environment variable {variable} (setting '{key}' of destination '{destination}') is not set.";

    public static string SecretNotFound(string destination, string key, string name, bool hasStore) => hasStore
        ? $"The secret store has no secret '{name}' (setting '{key}' of destination '{destination}')."
        : $"Destination '{destination}' takes '{key}' from the secret store ('{name}'), and none is configured here; use {{env: VARIABLE}} instead.";

    // HTTP
    public static string HttpStatus(string destination, int status, string? reason) =>
        $"Destination '{destination}' answered HTTP {status.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(reason) ? "" : $" ({reason})")}.";

    public static string HttpAuth(string destination, int status) =>
        $"Destination '{destination}' refused the credentials (HTTP {status.ToString(CultureInfo.InvariantCulture)}); check the secret and that it has not expired. The sync is stopped.";

    public static string HttpNotFound(string destination, int status) =>
        $"Destination '{destination}' has no such endpoint (HTTP {status.ToString(CultureInfo.InvariantCulture)}); check its url. The sync is stopped.";

    public static string HttpTimeout(string destination, TimeSpan timeout) =>
        $"Destination '{destination}' did not answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.";

    public static string HttpConnection(string destination, string detail) => $"Could not reach destination '{destination}': {detail}";

    public static string MalformedResponse(string destination, string detail) =>
        $"Destination '{destination}' answered with a body that is not the documented JSON ({detail}); the batch is treated as not confirmed.";

    public static string NotInResponse => "The destination's response did not mention this record.";

    public static string UnknownRecordStatus(string status) => $"The destination answered the unknown status '{status}' for this record.";

    public static string InvalidUrl(string text) => $"'{text}' is not an http or https URL.";

    // Files
    public static string FileFolderMissing(string destination, string folder) =>
        $"Destination '{destination}': the folder '{folder}' cannot be created or written.";

    public static string FileWriteFailed(string destination, string detail) => $"Destination '{destination}' could not write its file: {detail}";

    // PostgreSQL
    public static string PostgresFailed(string destination, string state, string detail) =>
        $"Destination '{destination}' (PostgreSQL) failed with SQLSTATE {state}: {detail}";

    public static string PostgresRejected(string destination, string state, string? constraint, string? column) =>
        $"Destination '{destination}' (PostgreSQL) refused the row with SQLSTATE {state}" +
        (constraint is not null ? $" (constraint {constraint})" : column is not null ? $" (column {column})" : "") + ".";

    public static string PostgresUnavailable(string destination, string detail) => $"Destination '{destination}' (PostgreSQL) is unavailable: {detail}";

    public static string PostgresMissingColumns(string destination, string table, IEnumerable<string> columns) =>
        $"Destination '{destination}': table {table} has no column(s) {string.Join(", ", columns.Select(c => $"'{c}'"))}; add them or set create_table: true for a new table.";

    public static string PostgresNoTable(string destination, string table) =>
        $"Destination '{destination}': table {table} does not exist; create it or set create_table: true.";

    public static string PostgresNoKeyConstraint(string destination, string table, string key) =>
        $"Destination '{destination}': table {table} needs a primary key or unique constraint on '{key}' for upserts.";

    public const string NoSuchRecord = "The destination holds no record with this key (update only).";

    public static string NoArchiveColumn(string destination, string table, string column) =>
        $"Destination '{destination}': archiving needs the timestamp column '{column}' in table {table}.";
}
