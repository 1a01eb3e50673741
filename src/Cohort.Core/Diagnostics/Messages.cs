using Cohort.Core.Schema;

namespace Cohort.Core.Diagnostics;

/// <summary>
/// Every user-facing message of the definition readers and validators, in one place so the wording stays
/// consistent. Messages name what is wrong and what would be right; they never contain row data.
/// </summary>
internal static class Messages
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

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

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

    // Binding conditions to the schema
    public const string EmptyRelationPath = "A relation condition needs at least one relationship name.";
    public const string MissingEventName = "An event condition needs at least one event name.";
    public const string NegativeCount = "A count must not be negative.";
    public const string FirstStepGap = "The first step of a sequence has no previous step, so it cannot have 'within'; put the overall limit on the sequence's 'within'.";
    public const string NotFollowedByNeedsWithin = "'not_followed_by' needs 'within': how long after the last step the event must not happen.";

    public static string ColumnSubject(string column, DataType type) => $"column '{column}' ({type})";

    public static string TraitSubject(string trait, DataType type) => $"trait '{trait}' ({type})";

    public static string AggregateSubject(string function, string column) => $"the {function} of '{column}'";

    public static string OccurrenceSubject(string key) => $"'{key}'";

    public static string UnknownColumn(string model, string column) => $"Model '{model}' has no column '{column}'.";

    public static string UnknownTrait(string trait, string model) => $"There is no trait '{trait}' for model '{model}'.";

    public static string UnknownAudience(string audience) => $"There is no audience named '{audience}'.";

    public static string UnknownEventInModel(string name, string model) => $"Event model '{model}' does not hold the event '{name}'.";

    public static string TraitOutsideParent(string trait, string context) =>
        $"Trait '{trait}' can only be tested at the audience's top level, not inside a condition on model '{context}'.";

    public static string TraitOfOtherModel(string trait, string traitModel, string context) =>
        $"Trait '{trait}' is computed for model '{traitModel}', not for '{context}'.";

    public static string AudienceOutsideParent(string audience, string context) =>
        $"Membership of audience '{audience}' can only be tested at the audience's top level, not inside a condition on model '{context}'.";

    public static string AudienceOverOtherModel(string audience, string model, string expected) =>
        $"Audience '{audience}' selects '{model}', not '{expected}'; only audiences over the same model can be combined.";

    public static string EmptyGroup(string kind) => $"An empty '{kind}' group means nothing; give it at least one condition.";

    public static string OperatorNotValid(string op, string subject, IEnumerable<string> valid) =>
        $"'{op}' does not apply to {subject}; use one of: {string.Join(", ", valid)}.";

    public static string OperandShapeMismatch(string op, Audiences.OperandShape expected) => $"'{op}' takes {expected switch
    {
        Audiences.OperandShape.None => "true",
        Audiences.OperandShape.Value => "one value",
        Audiences.OperandShape.Values => "a list of values",
        Audiences.OperandShape.Range => "[low, high]",
        Audiences.OperandShape.Relative => "a duration",
        Audiences.OperandShape.RelativeRange => "[near duration, far duration]",
        _ => "a list of days",
    }}.";

    public static string EmptyValueList(string op) => $"The list for '{op}' is empty; give at least one value.";

    public static string WrongValueType(string value, string subject, DataType type) =>
        $"'{value}' is not {Article(type.ToString())} {type} value, so it cannot be compared with {subject}.";

    public static string WrongTemporalValue(string value, string subject, bool timestampAllowed) => timestampAllowed
        ? $"'{value}' is neither a date (2026-03-01) nor a timestamp with a zone (2026-03-01T09:30:00Z), as {subject} needs."
        : $"'{value}' is not a date (2026-03-01), as {subject} needs.";

    public static string TimestampWithoutZone(string value) =>
        $"The timestamp '{value}' has no zone designator; add Z for UTC or an offset such as +01:00.";

    public static string RangeReversed(string low, string high) => $"The range runs backwards: {low} is after {high}; write the lower bound first.";

    public static string NegativeDuration(Audiences.Duration duration) => $"The duration '{duration}' is negative; durations count back from asOf and must be 0 or more.";

    public static string AgoUnitsDiffer(Audiences.Duration near, Audiences.Duration far) =>
        $"'between_ago' needs both durations in the same unit, found '{near}' and '{far}'.";

    public static string AgoRangeReversed(Audiences.Duration near, Audiences.Duration far) =>
        $"'between_ago' takes the nearer duration first: '{near}' is longer than '{far}'.";

    public static string AnniversaryUnit(Audiences.Duration duration) =>
        $"'anniversary_within_next' counts days; '{duration}' must be in days or weeks.";

    public static string DateColumnUnit(Audiences.Duration duration) =>
        $"A date has no time of day, so '{duration}' cannot be used on it; use days, weeks, months or years.";

    public static string CalendarUnitInSequence(Audiences.Duration duration) =>
        $"Sequences measure exact gaps, so '{duration}' (a calendar unit) cannot be used; use seconds, minutes, hours, days or weeks.";

    public static string SequenceTooShort(int steps) =>
        $"A sequence needs at least two steps, or one step and 'not_followed_by'; this one has {steps}.";

    public static string WindowNeedsTimestamp(string key, string model) =>
        $"'{key}' needs a timestamp, but model '{model}' declares none; add 'timestamp:' to the model.";

    public static string PathNeedsKey(string path, string model) =>
        $"The path '{path}' can reach the same '{model}' row more than once, so model '{model}' needs a 'primary_key' to count each row once.";

    public static string AggregateNeedsNumber(string function, string column, DataType type) =>
        $"'{function}' needs a numeric column, but '{column}' is {type}.";

    public static string AggregateTest(string op) => $"An aggregate is tested with eq, ne, lt, lte, gt, gte or between, not '{op}'.";

    // Audiences
    public const string EmptySalt = "The split salt must not be empty.";
    public const string NoSplitGroups = "'splits' needs at least one group.";

    public static string UnknownModel(string model) => $"There is no model named '{model}'.";

    public static string AudienceOverNonParent(string model, ModelKind kind) =>
        $"Model '{model}' is a{(kind == ModelKind.Event ? "n event" : " related")} model; an audience selects rows of a parent model.";

    public static string DuplicateAudience(string name, string? otherFile) => otherFile is { Length: > 0 }
        ? $"Another audience is also named '{name}' (in {otherFile}); audience names must be unique."
        : $"Another audience is also named '{name}'; audience names must be unique.";

    public static string AudienceCycle(IEnumerable<string> chain) =>
        $"Audiences refer to each other in a cycle: {string.Join(" -> ", chain)}.";

    public static string LimitTooSmall(long size) => $"A limit size must be at least 1, found {size}.";

    public static string CannotOrderBy(string name, DataType type) => $"'{name}' is {type}, which cannot be ordered.";

    public static string DuplicateSplitGroup(string name) => $"The split group '{name}' is listed twice.";

    public static string SplitPercentOutOfRange(decimal percent) => $"A split percentage must be more than 0 and at most 100, found {percent}.";

    public static string SplitPercentPrecision(decimal percent) => $"A split percentage has at most two decimals, found {percent}.";

    public static string SplitTotal(decimal total) => $"Split percentages must add up to 100, found {total}.";

    public static string UnknownTimeZone(string name) => $"Unknown time zone '{name}'; use an IANA name such as Europe/Berlin or UTC.";

    // Schema validation
    public static string DuplicateModel(string model) => $"Model '{model}' is defined twice.";

    public static string DuplicateColumn(string model, string column) => $"Model '{model}' declares column '{column}' twice.";

    public static string DuplicateTrait(string trait) => $"Trait '{trait}' is defined twice.";

    public static string DuplicateRelationship(string name, string model) =>
        $"Model '{model}' already has a relationship named '{name}'; give one of them a different 'name' (the default is the 'to' model's name).";

    public static string InvalidModelName(string model) => $"'{model}' is not a valid model name; use letters, digits and underscores, starting with a letter.";

    public static string InvalidTraitName(string trait) => $"'{trait}' is not a valid trait name; use letters, digits and underscores, starting with a letter.";

    public static string ParentWithoutKey(string model) => $"Parent model '{model}' needs a 'primary_key'.";

    public static string EventWithoutTimestamp(string model) => $"Event model '{model}' needs a 'timestamp' column.";

    public static string KeyColumnNotDeclared(string key, string column, string model) =>
        $"The '{key}' column '{column}' is not declared in the columns of model '{model}'.";

    public static string TimestampNotTimestamp(string column, DataType type) => $"The timestamp column '{column}' is {type}; it must be timestamp.";

    public static string EventNameNotString(string column, DataType type) => $"The event_name column '{column}' is {type}; it must be string.";

    public static string EventKeyOnNonEventModel(string key, string model) => $"'{key}' only applies to event models, and '{model}' is not one.";

    public static string EventsWithoutEventName(string model) =>
        $"Model '{model}' lists 'events' but has no 'event_name' column; a table holding one event names it with 'event'.";

    public static string ManyToManyNeedsThrough(string from, string to) =>
        $"The many_to_many relationship from '{from}' to '{to}' needs 'through' (the join model and its keys).";

    public static string ThroughOnlyManyToMany(string cardinality) => $"'through' only applies to many_to_many relationships, not {cardinality}.";

    public static string TraitOnNonParent(string trait, string model) => $"Trait '{trait}' is computed for model '{model}', which is not a parent model.";

    public static string TraitWithoutPath(string trait) => $"Trait '{trait}' needs 'from': the relationship path to the rows it aggregates.";

    public static string TraitNeedsColumn(string trait, string kind) => $"Trait '{trait}' of kind {kind} needs 'column'.";

    public static string CountTakesNoColumn(string trait) => $"Trait '{trait}' counts rows, so it takes no 'column'; use distinct_count to count distinct values.";

    public static string TraitNeedsNumber(string trait, string kind, string column, DataType type) =>
        $"Trait '{trait}' takes the {kind} of '{column}', which is {type}; {kind} needs a numeric column.";

    public static string TraitNeedsScalar(string trait, string kind, string column, DataType type) =>
        $"Trait '{trait}' of kind {kind} cannot use '{column}', which is {type}; it needs a single value per row.";

    public static string EventNamesNeedEventModel(string trait, string model) =>
        $"Trait '{trait}' names events, but its path ends at '{model}', which is not an event model.";

    // Projects
    public const string ProjectWhat = "the project file";
    public const string WarehouseWhat = "'warehouse'";
    public const string PostgresNeedsConnection = "A postgres warehouse needs 'connection_string_env': the name of the environment variable holding the connection string.";
    public const string PasswordInConnectionString = "The connection string contains a password; put it in an environment variable and name that with 'connection_string_env'.";
    public const string UnreadableConnectionString = "The connection string cannot be parsed; use key=value pairs (Host=...;Database=...) or a postgresql:// URI.";

    public static string ProjectFileNotFound(string file) => $"There is no project file '{file}'; create one with at least 'warehouse'.";

    public static string AudiencesFolderNotFound(string folder) => $"The audiences folder '{folder}' does not exist.";

    public static string FolderNotFound(string key, string folder) => $"The {key} folder '{folder}' does not exist.";

    public static string UnknownWarehouseType(string type, IEnumerable<string> valid) =>
        $"Unknown warehouse type '{type}'; use one of {string.Join(", ", valid)}.";

    public static string InvalidEnvironmentName(string name) =>
        $"'{name}' is not an environment variable name; give the variable's name (letters, digits, underscores), not its value.";

    // Syncs
    public const string SyncWhat = "a sync";
    public const string FieldsWhat = "'fields'";
    public const string IdentifiersWhat = "'identifiers'";
    public const string ScheduleWhat = "'schedule'";
    public const string SyncNeedsSource = "A sync needs 'audience' (the members of an audience) or 'model' (the rows of a parent model, optionally with 'filter').";
    public const string FilterNeedsModel = "'filter' applies to a sync over a model; a sync over an audience is filtered by the audience's own condition.";
    public const string ScheduleNeedsTiming = "'schedule' needs 'every' (such as \"1 hour\") or 'cron'.";

    public const string TimeZoneNeedsCron = "'time_zone' goes with 'cron' only: an interval ('every') does not depend on a time zone.";

    public static string SourceWhat(string key) => $"the source of '{key}'";

    public static string SourceNeedsColumnOrTrait(string key) => $"The source of '{key}' needs 'column' or 'trait'.";

    public static string DuplicateSync(string name, string? otherFile) => otherFile is { Length: > 0 }
        ? $"Another sync is also named '{name}' (in {otherFile}); sync names must be unique."
        : $"Another sync is also named '{name}'; sync names must be unique.";

    public static string InvalidSyncName(string name, int max) =>
        $"'{name}' is not a valid sync name; use lowercase letters, digits and underscores, starting with a letter, at most {max} characters (it names the sync's state tables).";

    public static string UnknownDestination(string name) => $"There is no destination named '{name}'; define it in destinations/ or under 'destinations' in cohort.yaml.";

    public static string ExitFixedByMode(Syncs.SyncMode mode) => mode == Syncs.SyncMode.Membership
        ? "'on_exit' does not apply to mode membership: members who leave are removed from the destination."
        : "'on_exit' does not apply to mode mirror: records that leave are always deleted.";

    public static string ArrayKey(string key, DataType type) => $"The key column '{key}' is {type}; a sync key must be a single value per row.";

    public static string FieldMappedTwice(string field) => $"The destination field '{field}' is mapped twice.";

    public static string UnknownIdentifierType(string type) =>
        $"Unknown identifier type '{type}'; use one of {string.Join(", ", Syncs.IdentifierNames.All)}.";

    public static string UnknownColumnOrTrait(string model, string name) => $"Model '{model}' has no column or trait named '{name}'.";

    public static string SplitGroupNeedsSplits(string source) => $"'split_group' needs a source audience with 'splits', and {source} has none.";

    public static string UnknownSplitGroup(string group, string audience) => $"Audience '{audience}' has no split group '{group}'.";

    public static string SyncOverNonParent(string model, ModelKind kind) =>
        $"Model '{model}' is a{(kind == ModelKind.Event ? "n event" : " related")} model; a sync sends rows of a parent model.";

    // Destinations
    public const string DestinationWhat = "a destination";
    public const string SettingsWhat = "'settings'";

    public static string NullSetting(string key) => $"The setting '{key}' has no value; remove it to use the default.";

    public static string LiteralSecret(string key) =>
        $"'{key}' holds a secret, which must not be written in a file; use {{env: VARIABLE}} (an environment variable) or {{secret: NAME}} (the secret store).";

    public static string PasswordInSetting(string key) =>
        $"The value of '{key}' contains a password; put it in an environment variable and write {{env: VARIABLE}}, or use {{secret: NAME}}.";

    public static string DuplicateDestination(string name, string? otherFile) => otherFile is { Length: > 0 }
        ? $"Another destination is also named '{name}' (in {otherFile}); destination names must be unique."
        : $"Another destination is also named '{name}'; destination names must be unique.";
}
