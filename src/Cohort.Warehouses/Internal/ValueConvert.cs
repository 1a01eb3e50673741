using System.Numerics;

namespace Cohort.Warehouses.Internal;

/// <summary>
/// Exact conversions between the CLR values callers hand us and the ones drivers want. Each returns false
/// rather than rounding or truncating a value (timestamps are the exception: they are truncated to the
/// microsecond, the precision of both engines, so that every engine stores the same instant).
/// </summary>
internal static class ValueConvert
{
    public static bool TryInt64(object value, out long result)
    {
        switch (value)
        {
            case long l: result = l; return true;
            case int i: result = i; return true;
            case short s: result = s; return true;
            case sbyte sb: result = sb; return true;
            case byte b: result = b; return true;
            case ushort us: result = us; return true;
            case uint ui: result = ui; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case BigInteger bi when bi >= long.MinValue && bi <= long.MaxValue: result = (long)bi; return true;
            case decimal d when decimal.IsInteger(d) && d >= long.MinValue && d <= long.MaxValue: result = (long)d; return true;
            default: result = 0; return false;
        }
    }

    public static bool TryDecimal(object value, out decimal result)
    {
        switch (value)
        {
            case decimal d: result = d; return true;
            case double db when double.IsFinite(db) && Math.Abs(db) < 7.9e28: result = (decimal)db; return true;
            case float f when float.IsFinite(f) && Math.Abs(f) < 7.9e28f: result = (decimal)f; return true;
            default:
                var ok = TryInt64(value, out var l);
                result = l;
                return ok;
        }
    }

    public static bool TryDouble(object value, out double result)
    {
        switch (value)
        {
            case double d: result = d; return true;
            case float f: result = f; return true;
            case decimal m: result = (double)m; return true;
            default:
                var ok = TryInt64(value, out var l);
                result = l;
                return ok;
        }
    }

    public static bool TryDateOnly(object value, out DateOnly result)
    {
        switch (value)
        {
            case DateOnly d: result = d; return true;
            case DateTime dt when dt.TimeOfDay == TimeSpan.Zero: result = DateOnly.FromDateTime(dt); return true;
            default: result = default; return false;
        }
    }

    /// <summary>A UTC instant, truncated to whole microseconds. Local DateTimes are refused by callers before this.</summary>
    public static bool TryUtcDateTime(object value, out DateTime result)
    {
        DateTime utc;
        switch (value)
        {
            case DateTime { Kind: DateTimeKind.Local }: result = default; return false;
            case DateTime dt: utc = DateTime.SpecifyKind(dt, DateTimeKind.Utc); break;
            case DateTimeOffset dto: utc = dto.UtcDateTime; break;
            default: result = default; return false;
        }
        result = new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
        return true;
    }
}
