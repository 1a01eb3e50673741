namespace Cohort.Core.Diagnostics;

/// <summary>Finds the valid names closest to a misspelt one (optimal string alignment distance).</summary>
public static class NameSuggester
{
    public static IReadOnlyList<string> Nearest(string input, IEnumerable<string> candidates, int max = 3)
    {
        var needle = input.ToLowerInvariant();
        var threshold = Math.Max(2, needle.Length / 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(needle, c.ToLowerInvariant())))
            .Where(x => x.Distance <= threshold || x.Name.Contains(input, StringComparison.OrdinalIgnoreCase)
                        || (input.Length >= 3 && input.Contains(x.Name, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
