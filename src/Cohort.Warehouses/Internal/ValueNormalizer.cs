using System.Collections;
using System.Numerics;

namespace Cohort.Warehouses.Internal;

/// <summary>Turns what a driver returns into Cohort's normalised values (see <see cref="IWarehouse"/>).</summary>
internal static class ValueNormalizer
{
    /// <exception cref="OverflowException">An unsigned or 128-bit integer does not fit in a long.</exception>
    public static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        long or decimal or double or string or bool or DateOnly => value,
        int i => (long)i,
        short s => (long)s,
        sbyte sb => (long)sb,
        byte b => (long)b,
        ushort us => (long)us,
        uint ui => (long)ui,
        ulong ul => checked((long)ul),
        BigInteger bi => (long)bi,
        float f => (double)f,
        DateTime dt => dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        DateTimeOffset dto => dto.UtcDateTime,
        byte[] => value,
        Stream stream => ReadAll(stream),
        IDictionary => value,
        IList list => NormalizeList(list),
        _ => value,
    };

    private static object?[] NormalizeList(IList list)
    {
        var result = new object?[list.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = Normalize(list[i]);
        return result;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
