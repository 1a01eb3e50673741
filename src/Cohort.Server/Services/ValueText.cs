using System.Globalization;

namespace Cohort.Server.Services;

/// <summary>Warehouse values as text for display and JSON: invariant culture, ISO 8601 dates and UTC instants.</summary>
public static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "∅",
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    /// <summary>A value for JSON output: scalars as they are (numbers stay numbers), dates and times as ISO text, lists as arrays.</summary>
    public static object? Json(object? value) => value switch
    {
        DateTime or DateOnly => Format(value),
        IReadOnlyList<object?> list => list.Select(Json).ToArray(),
        _ => value,
    };
}
