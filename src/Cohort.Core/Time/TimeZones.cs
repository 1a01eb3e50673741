using Cohort.Core.Diagnostics;

namespace Cohort.Core.Time;

/// <summary>Resolves IANA time zone names (<c>Europe/Berlin</c>) as written in project files.</summary>
public static class TimeZones
{
    /// <summary>The zone named <paramref name="name"/>, or null with a COH334 diagnostic suggesting the nearest names.</summary>
    public static TimeZoneInfo? Find(string name, SourceLocation? location, DiagnosticBag diagnostics)
    {
        if (TryFind(name, out var zone)) return zone;
        var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC");
        diagnostics.Error(DiagnosticCodes.InvalidTimeZone, Messages.UnknownTimeZone(name), location, NameSuggester.Nearest(name, known));
        return null;
    }

    public static bool TryFind(string name, out TimeZoneInfo zone)
    {
        if (string.Equals(name, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
