namespace Cohort.Core.Time;

/// <summary>
/// The explicit instant and time zone an audience is evaluated at. Nothing in the engine reads the wall clock:
/// callers decide what "now" is.
/// </summary>
public sealed record EvaluationContext
{
    public EvaluationContext(DateTime asOfUtc, TimeZoneInfo timeZone)
    {
        if (asOfUtc.Kind != DateTimeKind.Utc)
            throw new ArgumentException("asOf must be a UTC instant (DateTimeKind.Utc).", nameof(asOfUtc));
        // Warehouses store microseconds; keeping asOf at that precision makes edges exact on every engine.
        AsOfUtc = new DateTime(asOfUtc.Ticks - asOfUtc.Ticks % 10, DateTimeKind.Utc);
        TimeZone = timeZone;
    }

    public DateTime AsOfUtc { get; }

    public TimeZoneInfo TimeZone { get; }

    public static EvaluationContext Utc(DateTime asOfUtc) => new(asOfUtc, TimeZoneInfo.Utc);

    public static EvaluationContext Now(TimeProvider clock, TimeZoneInfo? zone = null) =>
        new(clock.GetUtcNow().UtcDateTime, zone ?? TimeZoneInfo.Utc);
}
