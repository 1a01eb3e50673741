using System.Globalization;
using System.Text.RegularExpressions;

namespace Cohort.Core.Audiences;

/// <summary>
/// ISO 8601 dates (<c>2026-03-01</c>) and timestamps with a zone designator (<c>2026-03-01T09:30:00Z</c>), the
/// latter converted to UTC and truncated to microseconds.
/// </summary>
internal static partial class TemporalText
{
    public enum Kind
    {
        NotTemporal,
        Date,
        Timestamp,
        TimestampWithoutZone,
    }

    public static Kind Parse(string text, out DateOnly date, out DateTime utc)
    {
        date = default;
        utc = default;
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return Kind.Date;
        var match = TimestampText().Match(trimmed);
        if (!match.Success) return Kind.NotTemporal;
        if (!match.Groups["zone"].Success) return Kind.TimestampWithoutZone;
        if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            return Kind.NotTemporal;
        // Warehouses store microseconds; finer digits could never match and would make equal literals differ.
        utc = new DateTime(instant.UtcTicks - instant.UtcTicks % 10, DateTimeKind.Utc);
        return Kind.Timestamp;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<zone>[Zz]|[+-]\d{2}(:?\d{2})?)?$")]
    private static partial Regex TimestampText();
}
