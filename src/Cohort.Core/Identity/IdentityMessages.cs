namespace Cohort.Core.Identity;

/// <summary>Every user-facing message about identity rules, in one place. Messages never contain row data.</summary>
internal static class IdentityMessages
{
    public const string RulesWhat = "the identity rules";
    public const string IdentifierWhat = "an identifier";
    public const string SourceWhat = "an identity source";

    public static string UnknownType(string type, string identifier) =>
        $"Identifier '{identifier}' has type '{type}', which is not an identifier type; expected one of {string.Join(", ", IdentityRules.TypeNames.Values)}.";

    public static string TypeNeeded(string identifier) =>
        $"Identifier '{identifier}' needs a 'type' (its name is not a type); expected one of {string.Join(", ", IdentityRules.TypeNames.Values)}.";

    public static string LimitBelowOne(string identifier, long limit) =>
        $"Identifier '{identifier}' has limit {limit}; a limit is the most distinct values one profile may hold, so it must be at least 1.";

    public static string MaxProfileBelowTwo(long size) =>
        $"'max_profile_size' is {size}; it must be at least 2 (a profile of one record never merges).";

    public static string BadPattern(string pattern, string error) =>
        $"The pattern '{pattern}' is not a valid regular expression: {error}";

    public static string UnknownIdentifier(string name, string where) =>
        $"There is no identifier named '{name}' ({where}); declare it under 'identifiers'.";

    public static string UnknownModel(string model, string source) =>
        $"Identity source '{source}' reads model '{model}', which is not in the schema.";

    public static string UnknownColumn(string source, string table, string column) =>
        $"Identity source '{source}' maps column '{column}', but {table} has no such column.";

    public static string UnknownKey(string source, string table, string column) =>
        $"Identity source '{source}' is keyed by '{column}', but {table} has no such column.";

    public static string SourceNeedsModelOrTable(string source) =>
        $"Identity source '{source}' needs 'model' (a model of the schema) or 'table' (a warehouse table).";

    public static string TableNeedsKey(string source) =>
        $"Identity source '{source}' reads a table, so it needs 'key': the column that identifies a row.";

    public static string ModelNeedsKey(string source, string model) =>
        $"Identity source '{source}' reads model '{model}', which has no primary key; give 'key'.";

    public static string NoColumns(string source) =>
        $"Identity source '{source}' maps no columns to identifiers.";

    public static string NoSources => "The identity rules name no sources; add at least one under 'sources'.";

    public static string NoIdentifiers => "The identity rules declare no identifiers; add at least one under 'identifiers'.";

    public static string DuplicatePriority(string name) => $"Identifier '{name}' appears twice in 'priority'.";

    public static string RegionOnlyForPhone(string identifier) =>
        $"'default_region' applies to phone identifiers only; '{identifier}' is not one.";

    public static string EmailOptionOnlyForEmail(string option, string identifier) =>
        $"'{option}' applies to email identifiers only; '{identifier}' is not one.";

    public static string BadRegion(string region) =>
        $"'{region}' is not a region: expected an ISO 3166-1 alpha-2 code such as US, GB or DE.";
}
