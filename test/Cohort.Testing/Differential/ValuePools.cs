using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Testing.Reference;
using static Cohort.Testing.Ast;

namespace Cohort.Testing.Differential;

/// <summary>
/// The small pools that both the data and the conditions draw from, so that conditions select some rows and
/// data sits on the edges conditions test: instants at asOf − N units and ± 1 microsecond for every duration a
/// condition may use, local midnights of the zone, leap days and year ends, and strings that order differently
/// by code point and by UTF-16 unit.
/// </summary>
public sealed class ValuePools
{
    public static readonly ImmutableArray<Duration> FixedDurations =
        [Days(1), Hours(1), Days(7), Days(30), Hours(24), Minutes(15), Seconds(90), Hours(2), Weeks(2)];

    public static readonly ImmutableArray<Duration> CalendarDurations = [Months(1), Years(1), Months(3)];

    /// <summary>Durations a date column accepts (days, weeks, months, years; 0 days means "today").</summary>
    public static readonly ImmutableArray<Duration> DateDurations = [Days(7), Days(1), Days(0), Days(30), Weeks(2), Months(1), Years(1)];

    public static readonly ImmutableArray<string> Countries = ["US", "GB", "DE", "", "us", "\u00E9", "e\u0301"];
    public static readonly ImmutableArray<string> Names =
        ["Ana", "Dan", "", "ANA", "\U0001F600 smile", "smile \U0001F600", "e\u0301", "\u00E9", "\uE000", "\uFFFD", "\U0001D538b"];
    public static readonly ImmutableArray<string> Fragments = ["a", "An", "", "an", "\U0001F600", "\u0301", "e", "s", "\uFFFD", "A"];
    public static readonly ImmutableArray<string> Tags = ["vip", "beta", "gold", "\U0001F600", "", "\u00E9"];
    public static readonly ImmutableArray<string> Plans = ["free", "pro", "", "Pro"];
    public static readonly ImmutableArray<string> Statuses = ["completed", "refunded", "", "\uFFFD", "\U0001F600"];
    public static readonly ImmutableArray<string> Categories = ["shoes", "hats", "bags", "\U0001F45F", "\uE000"];
    public static readonly ImmutableArray<string> Channels = ["web", "app", "email", "\uE000", "\U0001F600", ""];
    public static readonly ImmutableArray<string> Sources = ["ads", "email", "\u00E9"];

    /// <summary>Event names in data: the declared ones, plus one no condition names.</summary>
    public static readonly ImmutableArray<string> EventNamesInData = [.. TestSchema.EventNames, "refund"];

    public static readonly ImmutableArray<decimal> Ages = [30, 18, 17, 0, 65, -1, 40];
    public static readonly ImmutableArray<decimal> Scores = [10, 9.5m, 0, 0.1m, 1.5m, 10.00m, 99.99m, -2.25m];
    public static readonly ImmutableArray<decimal> Amounts = [10, 20, 1, 2, 5, 0, 10.5m, 99.99m];
    public static readonly ImmutableArray<decimal> Totals = [300, 20, 50, 250, 600, 0, 19.99m];
    public static readonly ImmutableArray<decimal> Prices = [50, 20, 80, 90, 19.99m];
    public static readonly ImmutableArray<decimal> Seats = [5, 1, 50];
    public static readonly ImmutableArray<decimal> Keys = [1, 2, 3, 5, 99];
    public static readonly ImmutableArray<decimal> Counts = [1, 0, 2, 3];
    public static readonly ImmutableArray<decimal> Sums = [0, 10, 30, 40, 300, 500, 600, 1.5m];

    public ValuePools(EvaluationContext context)
    {
        Context = context;
        AsOf = context.AsOfUtc;
        Today = Calendar.Today(context);
        var zone = context.TimeZone;
        DateTime Start(DateOnly d) => Calendar.StartOf(d, zone);

        DateLiterals =
        [
            Today, Today.AddDays(-1), Today.AddDays(-7), Today.AddDays(-30), Today.AddDays(1),
            new DateOnly(Today.Year, Today.Month, 1), new DateOnly(Today.Year - 1, 12, 31), Calendar.Add(Today, Months(1), -1),
        ];
        var second = new DateTime(AsOf.Ticks - AsOf.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        TimestampLiterals = [AsOf.AddHours(-1), AsOf.AddDays(-1), second.AddDays(-3), Start(Today), AsOf.AddDays(-30), Start(Today.AddDays(-7))];

        var micro = TimeSpan.FromTicks(10);
        var instants = new List<DateTime> { AsOf, AsOf - micro, AsOf + micro };
        foreach (var d in FixedDurations.Concat(CalendarDurations))
        {
            var back = Calendar.Add(AsOf, d, -1);
            var ahead = Calendar.Add(AsOf, d, +1);
            instants.AddRange([back, back - micro, back + micro, ahead, ahead + micro]);
        }
        foreach (var k in new[] { 0, 1, 7, 30, -1 })
        {
            var start = Start(Today.AddDays(-k));
            instants.AddRange([start, start - micro]);
        }
        foreach (var t in TimestampLiterals) instants.AddRange([t, t - micro, t + micro]);
        foreach (var d in DateLiterals) instants.AddRange([Start(d), Start(d) - micro, Start(d.AddDays(1)) - micro]);
        Instants = [.. instants.Distinct()];

        var dates = new List<DateOnly>();
        foreach (var k in new[] { 0, 1, 2, 7, 8, 14, 30, 31, -1, -7, -8 }) dates.Add(Today.AddDays(-k));
        foreach (var d in DateDurations) dates.AddRange([Calendar.Add(Today, d, -1), Calendar.Add(Today, d, -1).AddDays(-1), Calendar.Add(Today, d, +1)]);
        dates.AddRange(DateLiterals);
        foreach (var year in new[] { 2000, 2024, 2025, 2027, 2028 })
        {
            dates.Add(new DateOnly(year, 2, 28));
            dates.Add(new DateOnly(year, 3, 1));
            if (DateTime.IsLeapYear(year)) dates.Add(new DateOnly(year, 2, 29));
        }
        dates.AddRange([new DateOnly(Today.Year - 1, 12, 31), new DateOnly(Today.Year, 1, 1), new DateOnly(Today.Year, 12, 31)]);
        // Anniversaries: this month and day (and the next few) in a past leap year.
        foreach (var k in new[] { 0, 1, 7, 8 })
        {
            var d = Today.AddDays(k);
            dates.Add(new DateOnly(1992, d.Month, d.Day));
        }
        Dates = [.. dates.Distinct()];
    }

    public EvaluationContext Context { get; }
    public DateTime AsOf { get; }
    public DateOnly Today { get; }

    /// <summary>Instants on every edge the conditions can test (window edges ± 1µs, local midnights, literals ± 1µs).</summary>
    public ImmutableArray<DateTime> Instants { get; }

    /// <summary>Dates on the edges date conditions test, plus leap days, year ends and anniversaries.</summary>
    public ImmutableArray<DateOnly> Dates { get; }

    /// <summary>Absolute date operands (before/after/on/between/during).</summary>
    public ImmutableArray<DateOnly> DateLiterals { get; }

    /// <summary>Absolute timestamp operands.</summary>
    public ImmutableArray<DateTime> TimestampLiterals { get; }

    /// <summary>The strings a string column holds (and conditions compare with).</summary>
    public static ImmutableArray<string> StringsOf(string model, string column) => (model, column) switch
    {
        (_, "name") => Names,
        (_, "country") => Countries,
        (_, "plan") => Plans,
        (_, "status") => Statuses,
        (_, "category") => Categories,
        (_, "channel") => Channels,
        (_, "source") => Sources,
        (_, "event") => EventNamesInData,
        (_, "tags") => Tags,
        _ => throw new InvalidOperationException($"No string pool for {model}.{column}."),
    };

    /// <summary>The numbers a numeric column holds (and conditions compare with).</summary>
    public static ImmutableArray<decimal> NumbersOf(string model, string column) => (model, column) switch
    {
        (_, "age") => Ages,
        (_, "score") => Scores,
        (_, "amount") => Amounts,
        (_, "total") => Totals,
        (_, "price") => Prices,
        (_, "seats") => Seats,
        (_, "person_id" or "account_id" or "order_id" or "product_id") => Keys,
        _ => throw new InvalidOperationException($"No number pool for {model}.{column}."),
    };

    /// <summary>Numbers to compare a trait of <paramref name="kind"/> over <paramref name="column"/> with.</summary>
    public static ImmutableArray<decimal> TraitNumbers(TraitDefinition trait, ModelDefinition end) =>
        trait.Kind is TraitKind.Count or TraitKind.DistinctCount
            ? Counts
            : [.. NumbersOf(end.Name, trait.Column!).Concat(trait.Kind == TraitKind.Sum ? Sums : []).Distinct()];

    /// <summary>The instant a temporal literal stands for on a timestamp column (a date is its start).</summary>
    public DateTime InstantOf(Literal literal) => literal switch
    {
        Literal.Date d => Calendar.StartOf(d.Value, Context.TimeZone),
        Literal.Timestamp t => t.Value,
        _ => throw new InvalidOperationException($"{literal} is not temporal."),
    };

    public static Literal DateLiteral(DateOnly d) => Date(d);
}
