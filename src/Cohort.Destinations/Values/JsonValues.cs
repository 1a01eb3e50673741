using System.Globalization;
using System.Text.Json;

namespace Cohort.Destinations.Values;

/// <summary>
/// Field values as the sync engine hands them to destinations: <see cref="string"/>, <see cref="long"/>,
/// <see cref="decimal"/>, <see cref="double"/>, <see cref="bool"/>, null, and lists of those
/// (<see cref="IReadOnlyList{T}"/> of object); dates and timestamps arrive as ISO 8601 text. Writes and reads them as JSON.
/// </summary>
public static class JsonValues
{
    public static void Write(Utf8JsonWriter json, object? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case double d:
                json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTime t:
                json.WriteStringValue(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case System.Collections.IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) Write(json, item);
                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A JSON value as an engine value: integers that fit as <see cref="long"/>, other numbers as <see cref="decimal"/> (or <see cref="double"/> when out of range).</summary>
    public static object? Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number when element.TryGetDecimal(out var m) => m,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(Read).ToArray(),
        _ => element.GetRawText(),
    };

    /// <summary>Text for CSV cells and text columns: invariant numbers, ISO dates, lists as JSON.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f and not DateTime and not DateOnly => f.ToString(null, CultureInfo.InvariantCulture),
        _ => ToJson(value),
    };

    public static string ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, value);
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return value is string or DateTime or DateOnly ? JsonSerializer.Deserialize<string>(text)! : text;
    }
}
