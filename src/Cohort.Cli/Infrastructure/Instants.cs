using System.Globalization;
using System.Text.RegularExpressions;

namespace Cohort.Cli.Infrastructure;

/// <summary>Instants given on the command line: ISO 8601 with a zone designator (Z or an offset), read as UTC.</summary>
public static partial class Instants
{
    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        if (text is null || !ZoneSuffix().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return false;
        utc = instant.UtcDateTime;
        return true;
    }

    [GeneratedRegex(@"([Zz]|[+-]\d\d:?\d\d)$")]
    private static partial Regex ZoneSuffix();
}
