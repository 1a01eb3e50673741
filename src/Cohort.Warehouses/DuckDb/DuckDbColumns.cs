using System.Numerics;
using Cohort.Warehouses.Internal;

namespace Cohort.Warehouses.DuckDb;

/// <summary>
/// DuckDB.NET's GetValue throws on a list of a value type that holds a NULL element (it builds List&lt;long&gt;),
/// so such columns are read as List&lt;T?&gt;.
/// </summary>
internal static class DuckDbColumns
{
    public static ColumnReader? ReaderFor(Type fieldType)
    {
        if (!fieldType.IsGenericType || fieldType.GetGenericTypeDefinition() != typeof(List<>))
            return null;
        var element = fieldType.GetGenericArguments()[0];
        if (!element.IsValueType)
            return null;
        return element switch
        {
            _ when element == typeof(long) => ListOf<long>,
            _ when element == typeof(int) => ListOf<int>,
            _ when element == typeof(short) => ListOf<short>,
            _ when element == typeof(sbyte) => ListOf<sbyte>,
            _ when element == typeof(byte) => ListOf<byte>,
            _ when element == typeof(ushort) => ListOf<ushort>,
            _ when element == typeof(uint) => ListOf<uint>,
            _ when element == typeof(ulong) => ListOf<ulong>,
            _ when element == typeof(BigInteger) => ListOf<BigInteger>,
            _ when element == typeof(decimal) => ListOf<decimal>,
            _ when element == typeof(double) => ListOf<double>,
            _ when element == typeof(float) => ListOf<float>,
            _ when element == typeof(bool) => ListOf<bool>,
            _ when element == typeof(DateOnly) => ListOf<DateOnly>,
            _ when element == typeof(DateTime) => ListOf<DateTime>,
            _ when element == typeof(Guid) => ListOf<Guid>,
            _ => null,
        };
    }

    private static object? ListOf<T>(System.Data.Common.DbDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : ValueNormalizer.Normalize(reader.GetFieldValue<List<T?>>(ordinal));
}
