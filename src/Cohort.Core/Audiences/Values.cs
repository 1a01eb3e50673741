using System.Globalization;

namespace Cohort.Core.Audiences;

public enum TimeUnit
{
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>An amount of a time unit, such as "30 days". Amount is never negative.</summary>
public readonly record struct Duration(long Amount, TimeUnit Unit)
{
    /// <summary>Minutes, hours, days and weeks have a fixed length; months and years are calendar steps.</summary>
    public bool IsFixedLength => Unit is not (TimeUnit.Month or TimeUnit.Year);

    /// <summary>The exact length of a fixed-length duration.</summary>
    public TimeSpan ToTimeSpan() => Unit switch
    {
        TimeUnit.Second => TimeSpan.FromSeconds(Amount),
        TimeUnit.Minute => TimeSpan.FromMinutes(Amount),
        TimeUnit.Hour => TimeSpan.FromHours(Amount),
        TimeUnit.Day => TimeSpan.FromDays(Amount),
        TimeUnit.Week => TimeSpan.FromDays(7 * Amount),
        _ => throw new InvalidOperationException($"{Unit} has no fixed length."),
    };

    public override string ToString()
    {
        var unit = Unit.ToString().ToLowerInvariant();
        return $"{Amount.ToString(CultureInfo.InvariantCulture)} {unit}{(Amount == 1 ? "" : "s")}";
    }
}

/// <summary>A typed constant in a condition. Dates and timestamps are typed when the condition is bound to the schema.</summary>
public abstract record Literal
{
    private Literal() { }

    public sealed record String(string Value) : Literal;

    public sealed record Number(decimal Value) : Literal;

    public sealed record Boolean(bool Value) : Literal;

    /// <summary>A calendar date, no time zone.</summary>
    public sealed record Date(DateOnly Value) : Literal;

    /// <summary>An instant, always UTC (<see cref="DateTimeKind.Utc"/>).</summary>
    public sealed record Timestamp(DateTime Value) : Literal;

    /// <summary>The literal as written in a definition file (ISO 8601 for dates and timestamps).</summary>
    public string ToInvariantString() => this switch
    {
        String s => s.Value,
        Number n => n.Value.ToString(CultureInfo.InvariantCulture),
        Boolean b => b.Value ? "true" : "false",
        Date d => d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Timestamp t => t.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException(),
    };

    public override string ToString() => ToInvariantString();
}
