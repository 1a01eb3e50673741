using System.Globalization;
using System.Text.Json.Serialization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Core.Time;
using Cronos;

namespace Cohort.Server.Scheduling;

/// <summary>
/// When a sync runs by itself: never (<c>manual</c>), every fixed interval, or on a cron expression evaluated in a
/// time zone (daylight saving handled by Cronos: a skipped local time runs at the next valid instant, a repeated
/// one runs once).
/// </summary>
public sealed record Schedule(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("every")] string? Every = null,
    [property: JsonPropertyName("cron")] string? Cron = null,
    [property: JsonPropertyName("time_zone")] string? TimeZone = null)
{
    public const string Manual = "manual";
    public const string Interval = "interval";
    public const string CronType = "cron";

    public static Schedule ManualOnly { get; } = new(Manual);

    /// <summary>The scheduler's reading of a sync file's <c>schedule:</c> (none: manual; <c>every</c>: interval; <c>cron</c> with its <c>time_zone</c>).</summary>
    public static Schedule From(SyncSchedule? written) => written switch
    {
        null => ManualOnly,
        { Cron: { } cron } => new Schedule(CronType, Cron: cron, TimeZone: written.TimeZone),
        { Every: { } every } => new Schedule(Interval, Every: every),
        _ => ManualOnly,
    };

    /// <summary>Problems with the schedule, as diagnostics at <paramref name="path"/>.</summary>
    public IEnumerable<Diagnostic> Check(string path)
    {
        switch (Type)
        {
            case Manual:
                break;
            case Interval:
                if (ParseInterval(Every) is not { } span)
                    yield return Error("every", $"'{Every}' is not an interval such as '15 minutes', '1 hour' or '1 day'.");
                else if (span < TimeSpan.FromMinutes(1))
                    yield return Error("every", "The shortest interval is 1 minute.");
                break;
            case CronType:
                if (!TryParseCron(Cron, out _))
                    yield return Error("cron", $"'{Cron}' is not a cron expression (5 fields: minute hour day month weekday, e.g. '0 6 * * *').");
                if (TimeZone is not null && !TimeZones.TryFind(TimeZone, out _))
                    yield return Error("time_zone", $"'{TimeZone}' is not an IANA time zone such as 'Europe/London'.");
                break;
            default:
                yield return new Diagnostic("COH901", Severity.Error, $"Unknown schedule type '{Type}'.", SourceLocation.None($"{path}.type"), [Manual, Interval, CronType]);
                break;
        }

        Diagnostic Error(string key, string message) => new("COH901", Severity.Error, message, SourceLocation.None($"{path}.{key}"), []);
    }

    /// <summary>The first run strictly after <paramref name="after"/>; null for manual schedules (or an invalid one).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo projectZone)
    {
        switch (Type)
        {
            case Interval when ParseInterval(Every) is { } span:
                return after + span;
            case CronType when TryParseCron(Cron, out var expression):
                var zone = TimeZone is not null && TimeZones.TryFind(TimeZone, out var z) ? z : projectZone;
                return expression!.GetNextOccurrence(after, zone);
            default:
                return null;
        }
    }

    public override string ToString() => Type switch
    {
        Interval => $"every {Every}",
        CronType => $"cron '{Cron}' ({TimeZone ?? "project time zone"})",
        _ => "manual",
    };

    public static TimeSpan? ParseInterval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return null;
        return parts[1].TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(n),
            "hour" => TimeSpan.FromHours(n),
            "day" => TimeSpan.FromDays(n),
            "week" => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }

    private static bool TryParseCron(string? text, out CronExpression? expression)
    {
        expression = null;
        return !string.IsNullOrWhiteSpace(text) && CronExpression.TryParse(text, CronFormat.Standard, out expression);
    }
}
