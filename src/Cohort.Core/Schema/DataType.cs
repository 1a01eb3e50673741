namespace Cohort.Core.Schema;

public enum ScalarType
{
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Timestamp,
}

/// <summary>A column's logical type: a scalar, or an array of scalars.</summary>
public readonly record struct DataType(ScalarType Element, bool IsArray = false)
{
    public static readonly DataType String = new(ScalarType.String);
    public static readonly DataType Integer = new(ScalarType.Integer);
    public static readonly DataType Number = new(ScalarType.Number);
    public static readonly DataType Boolean = new(ScalarType.Boolean);
    public static readonly DataType Date = new(ScalarType.Date);
    public static readonly DataType Timestamp = new(ScalarType.Timestamp);

    public bool IsNumeric => !IsArray && Element is ScalarType.Integer or ScalarType.Number;
    public bool IsTemporal => !IsArray && Element is ScalarType.Date or ScalarType.Timestamp;

    public static DataType ArrayOf(ScalarType element) => new(element, true);

    /// <summary>Every spelling accepted in schema files, mapped to its type.</summary>
    public static IReadOnlyDictionary<string, DataType> Names { get; } = new Dictionary<string, DataType>(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = String,
        ["integer"] = Integer,
        ["number"] = Number,
        ["boolean"] = Boolean,
        ["date"] = Date,
        ["timestamp"] = Timestamp,
        ["array<string>"] = ArrayOf(ScalarType.String),
        ["array<integer>"] = ArrayOf(ScalarType.Integer),
        ["array<number>"] = ArrayOf(ScalarType.Number),
    };

    public static bool TryParse(string text, out DataType type) => Names.TryGetValue(text.Trim(), out type);

    public override string ToString()
    {
        var element = Element.ToString().ToLowerInvariant();
        return IsArray ? $"array<{element}>" : element;
    }
}
