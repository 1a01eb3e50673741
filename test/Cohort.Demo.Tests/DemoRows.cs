using System.Globalization;
using Cohort.Testing;
using Cohort.Warehouses;

namespace Cohort.Demo.Tests;

/// <summary>Reads a table as canonical text rows, sorted ordinally, so two engines' contents can be compared exactly.</summary>
internal static class DemoRows
{
    public static readonly DateTime Anchor = new(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc);

    public static DemoOptions Options(int customers = 1_500, long seed = 7) =>
        new() { AnchorUtc = Anchor, Customers = customers, Seed = seed };

    public static async Task<List<string>> TableAsync(IWarehouse warehouse, string table)
    {
        var rows = await warehouse.ReadAllAsync($"SELECT * FROM {table}");
        var text = rows.Select(r => string.Join(" | ", r.Select(Canonical))).ToList();
        text.Sort(StringComparer.Ordinal);
        return text;
    }

    public static string Canonical(object? value) => value switch
    {
        null => "∅",
        decimal d => d.ToString("0.############", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => "'" + s + "'",
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Canonical)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
