using System.Globalization;
using Cohort.Core.Audiences;

namespace Cohort.Testing.Reference;

/// <summary>
/// Equality and order of non-NULL values as docs/semantics.md defines them: strings by code point, numbers
/// numerically (an integer column's long and a literal's decimal compare by value), dates and timestamps
/// chronologically, false before true. Mixing kinds is a bug in the caller and throws.
/// </summary>
public sealed class Values : IComparer<object>, IEqualityComparer<object>
{
    public static readonly Values Instance = new();

    private Values() { }

    public static int Order(object a, object b) => (a, b) switch
    {
        (string x, string y) => CodePoints.Compare(x, y),
        (ExactAverage x, ExactAverage y) => x.CompareTo(y),
        (ExactAverage x, _) when IsNumber(b) => x.CompareTo(ToDecimal(b)),
        (_, ExactAverage y) when IsNumber(a) => -y.CompareTo(ToDecimal(a)),
        _ when IsNumber(a) && IsNumber(b) => ToDecimal(a).CompareTo(ToDecimal(b)),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTime x, DateTime y) => RequireUtc(x).CompareTo(RequireUtc(y)),
        _ => throw new InvalidOperationException(
            $"Cannot compare a {a.GetType().Name} with a {b.GetType().Name}."),
    };

    public static bool Same(object a, object b) => Order(a, b) == 0;

    public static bool IsNumber(object v) => v is long or decimal;

    public static decimal ToDecimal(object v) => v switch
    {
        long l => l,
        decimal d => d,
        _ => throw new InvalidOperationException($"Expected a number, got a {v.GetType().Name}."),
    };

    public static DateTime RequireUtc(DateTime t) => t.Kind == DateTimeKind.Utc
        ? t
        : throw new InvalidOperationException($"Timestamp {t:O} is not UTC (Kind {t.Kind}).");

    /// <summary>The value a literal stands for, in the same representation as dataset values.</summary>
    public static object Of(Literal literal) => literal switch
    {
        Literal.String s => s.Value,
        Literal.Number n => n.Value,
        Literal.Boolean b => b.Value,
        Literal.Date d => d.Value,
        Literal.Timestamp t => RequireUtc(t.Value),
        _ => throw new InvalidOperationException($"Unknown literal {literal}."),
    };

    /// <summary>A key written as text in its canonical form (section 12): integers in decimal, strings as they are.</summary>
    public static string KeyText(object key) => key switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new InvalidOperationException($"Keys are integers or strings; got a {key.GetType().Name}."),
    };

    int IComparer<object>.Compare(object? x, object? y) =>
        Order(x ?? throw new InvalidOperationException("NULL has no order."), y ?? throw new InvalidOperationException("NULL has no order."));

    bool IEqualityComparer<object>.Equals(object? x, object? y) =>
        x is not null && y is not null ? Same(x, y) : x is null && y is null;

    // Numbers hash by their decimal value so that 3 (long) and 3.00 (decimal) land together.
    int IEqualityComparer<object>.GetHashCode(object v) => v switch
    {
        long or decimal => ToDecimal(v).GetHashCode(),
        ExactAverage a => a.Value.GetHashCode(),
        _ => v.GetHashCode(),
    };
}
