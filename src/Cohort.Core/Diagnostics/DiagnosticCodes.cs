namespace Cohort.Core.Diagnostics;

/// <summary>
/// Every diagnostic code, in one place. Documented in docs/diagnostics.md; codes are stable once released.
/// </summary>
public static class DiagnosticCodes
{
    // Documents (YAML / JSON)
    public const string MalformedDocument = "COH100";
    public const string WrongNodeKind = "COH101";
    public const string UnknownKey = "COH102";
    public const string MissingKey = "COH103";
    public const string DuplicateKey = "COH104";
    public const string InvalidValue = "COH105";
    public const string ConflictingKeys = "COH106";
    public const string FileNotFound = "COH107";

    // Schema
    public const string UnknownModel = "COH200";
    public const string UnknownColumn = "COH201";
    public const string UnknownRelationship = "COH202";
    public const string AmbiguousRelationship = "COH203";
    public const string InvalidModel = "COH204";
    public const string DuplicateName = "COH205";
    public const string UnknownTrait = "COH206";
    public const string UnknownType = "COH207";
    public const string InvalidRelationship = "COH208";
    public const string InvalidTrait = "COH209";

    // Schema against the live warehouse (cohort validate)
    public const string MissingTable = "COH210";
    public const string MissingColumn = "COH211";
    public const string TypeMismatch = "COH212";
    public const string KeyNotUnique = "COH213";
    public const string RelationshipKeyTypesDiffer = "COH214";
    public const string ModelQueryFailed = "COH215";
    public const string UnsupportedColumnType = "COH216";
    public const string EventNameNotInWarehouse = "COH217";

    // Audiences and conditions
    public const string UnknownConditionKind = "COH300";
    public const string UnknownOperator = "COH301";
    public const string OperatorNotValidForType = "COH302";
    public const string ValueTypeMismatch = "COH303";
    public const string UnknownEvent = "COH304";
    public const string UnknownAudience = "COH305";
    public const string AmbiguousEventModel = "COH306";
    public const string EmptyGroup = "COH310";
    public const string NotAllowedInContext = "COH311";
    public const string NegativeAmount = "COH320";
    public const string InvalidRange = "COH321";
    public const string UnitNotAllowed = "COH322";
    public const string CalendarUnitInSequence = "COH323";
    public const string SequenceTooShort = "COH324";
    public const string AggregateNeedsNumber = "COH325";
    public const string InvalidCount = "COH326";
    public const string InvalidValueList = "COH327";
    public const string WindowNeedsTimestamp = "COH328";
    public const string PathNeedsKey = "COH329";
    public const string AudienceCycle = "COH330";
    public const string AudienceModelMismatch = "COH331";
    public const string InvalidSplits = "COH332";
    public const string InvalidLimit = "COH333";
    public const string InvalidTimeZone = "COH334";
    public const string DuplicateAudience = "COH335";

    // Project
    public const string InvalidProject = "COH400";

    // Syncs and destinations
    public const string UnknownDestination = "COH500";
    public const string UnknownDestinationType = "COH501";
    public const string InvalidSetting = "COH502";
    public const string LiteralSecret = "COH503";
    public const string ModeNotSupported = "COH504";
    public const string UnknownIdentifierType = "COH505";
    public const string InvalidMapping = "COH506";
    public const string DuplicateSyncOrDestination = "COH507";
    public const string InvalidSplitGroup = "COH508";
    public const string InvalidSyncName = "COH509";
    public const string InvalidSyncKey = "COH510";

    // Identity rules (identity.yaml)
    public const string InvalidPattern = "COH600";
}
