namespace Cohort.Core.Diagnostics;

/// <summary>
/// Every user-facing message of the definition readers and validators, in one place so the wording stays
/// consistent. Messages name what is wrong and what would be right; they never contain row data.
/// </summary>
internal static partial class Messages
{
    // Names of the things being read, used inside messages ("an unknown key in {what}").
    public const string ConditionWhat = "a condition";
    public const string NotWhat = "a 'not' condition";
    public const string PropertyWhat = "a property condition";
    public const string TraitWhat = "a trait condition";
    public const string AudienceConditionWhat = "an audience condition";
    public const string EventWhat = "an event condition";
    public const string SequenceWhat = "a sequence condition";
    public const string StepWhat = "a sequence step";
    public const string NotFollowedByWhat = "'not_followed_by'";
    public const string RelationWhat = "a relation condition";
    public const string WindowWhat = "a time window";
    public const string MeasureWhat = "a measure";
    public const string CountWhat = "'count'";
    public const string AggregateWhat = "'aggregate'";
    public const string DurationWhat = "a duration";
    public const string AudienceWhat = "an audience";
    public const string LimitWhat = "'limit'";
    public const string OrderTermWhat = "an 'order_by' term";
    public const string SplitsWhat = "'splits'";
    public const string SplitGroupWhat = "a split group";

    public static string GroupWhat(string key) => $"an '{key}' group";

    // Documents
    public const string EmptyDocument = "The document is empty.";
    public const string SeveralYamlDocuments = "The file holds more than one YAML document; write one definition per file.";
    public const string NestedTooDeeply = "The document is nested too deeply.";
    public const string KeyMustBeText = "Mapping keys must be plain text.";
    public const string UnexpectedYamlEvent = "Unexpected YAML content.";
    public const string TrailingJson = "Unexpected content after the JSON value.";

    public static string MalformedYaml(string? detail) =>
        detail is null ? "The YAML is malformed." : $"The YAML is malformed: {detail}";

    public static string MalformedJson(string detail) => $"The JSON is malformed: {detail}";

    public static string UnexpectedJsonToken(string token) => $"Unexpected JSON token {token}.";

    public static string UnknownYamlAnchor(string anchor) => $"The alias '*{anchor}' refers to no anchor defined before it.";

    public static string UnsupportedExtension(string extension) =>
        $"Files ending in '{extension}' are not read; use .yaml, .yml or .json.";

    public static string FileNotFound(string file) => $"The file '{file}' does not exist.";

    public static string FileUnreadable(string file, string reason) => $"The file '{file}' cannot be read: {reason}";

    public static string DuplicateKey(string key) => $"The key '{key}' is written twice in the same mapping; only the first is used.";

    // Shapes
    public static string ExpectedMapping(string what, string found) => $"Expected a mapping for {what}, found {found}.";

    public static string ExpectedList(string what, string found) => $"Expected a list for '{what}', found {found}.";

    public static string ExpectedText(string what, string found) => $"Expected a name or text for '{what}', found {found}.";

    public static string ExpectedBoolean(string what, string found) => $"Expected true or false for '{what}', found {found}.";

    public static string ExpectedNumber(string what, string found) => $"Expected a number for '{what}', found {found}.";

    public static string ExpectedWholeNumber(string what) => $"'{what}' must be a whole number.";

    public static string ExpectedOneValue(string what, string found) => $"'{what}' takes one value, found {found}.";

    public static string ExpectedPair(string what, int count) => $"'{what}' takes a list of exactly two values, found {count}.";

    public static string EmptyName(string what) => $"'{what}' must not be empty.";

    public static string EmptyNameList(string what) => $"'{what}' must name at least one item.";

    public static string UnknownKey(string key, string what) => $"Unknown key '{key}' in {what}.";

    public static string MissingKey(string key, string what) => $"{Capitalise(what)} needs '{key}'.";

    public static string ConflictingKeys(string first, string second, string what) =>
        $"'{first}' and '{second}' cannot be used together in {what}; keep one.";

    // Conditions
    public static string UnknownConditionKind(string key) => $"Unknown condition kind '{key}'.";

    public static string MissingConditionKind(IEnumerable<string> kinds) =>
        $"A condition needs one kind key: {string.Join(", ", kinds)}.";

    public static string TwoConditionKinds(string first, string second) =>
        $"A condition has exactly one kind, but this one has '{first}' and '{second}'; split it into two conditions inside 'all' or 'any'.";

    public static string UnknownOperator(string key, string what) => $"Unknown operator '{key}' in {what}.";

    public static string TwoOperators(string first, string second) =>
        $"A test has exactly one operator, but this one has '{first}' and '{second}'; combine two conditions with 'all' instead.";

    public static string MissingOperator(string what) => $"{Capitalise(what)} needs an operator, such as 'equals: value'.";

    public static string FlagMustBeTrue(string key) => key switch
    {
        "is_true" => "'is_true' takes true; to test for false use 'is_false: true'.",
        "is_false" => "'is_false' takes true; to test for true use 'is_true: true'.",
        _ => $"'{key}' takes true.",
    };

    public static string NullValue(string what) => $"'{what}' needs a value, not null; to test for a missing value use 'is_not_set: true'.";

    public static string NullInList(string what) => $"The list for '{what}' contains null; to include rows with no value, combine with 'is_not_set: true' in 'any'.";

    public static string NumberOutOfRange(string text) => $"The number {text} is out of range.";

    public static string NotADuration(string text) => $"'{text}' is not a duration; write an amount and a unit, such as \"30 days\" or {{amount: 30, unit: day}}.";

    public static string UnknownUnit(string unit) => $"Unknown time unit '{unit}'; use seconds, minutes, hours, days, weeks, months or years.";

    public static string UnknownDay(string day) => $"Unknown day '{day}'; use monday … sunday or mon … sun.";

    public static string InvalidPath(string path) => $"'{path}' is not a relationship path; write names separated by dots, such as orders.items.";

    public const string MissingCountComparator = "'count' needs one of at_least, at_most, exactly or between.";
    public const string MissingAggregateFunction = "'aggregate' needs one of sum, avg, min or max, naming a column.";

    // Audience files
    public const string MissingOrderSource = "An 'order_by' term needs 'column' or 'trait'.";

    public static string InvalidDirection(string text) => $"'{text}' is not a direction; use asc or desc.";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

internal static partial class Messages
{
    // Schema files
    public const string SchemaWhat = "the schema";
    public const string RelationshipWhat = "a relationship";

    public static string ModelWhat(string model) => $"model '{model}'";

    public static string ColumnWhat(string column) => $"column '{column}'";

    public static string TraitDefinitionWhat(string trait) => $"trait '{trait}'";

    public static string MissingModelSource(string model) => $"Model '{model}' needs 'table' or 'sql'.";

    public static string UnknownType(string type) => $"Unknown column type '{type}'.";

    public static string InvalidChoice(string what, string text, IEnumerable<string> valid) =>
        $"'{text}' is not a valid {what}; use one of {string.Join(", ", valid)}.";
}
