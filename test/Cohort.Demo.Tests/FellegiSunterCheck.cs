using System.Globalization;
using Cohort.Demo.Corrupted;

namespace Cohort.Demo.Tests;

/// <summary>
/// A rough upper bound for the matching engine, printed rather than asserted: Fellegi–Sunter on the fields and
/// blocking rules of corrupted.identity.yaml, with m and u taken from the truth (an oracle, no EM and no term
/// frequencies). Tells whether the dataset is hard but possible: the best recall at precision ≥ 0.99.
/// </summary>
internal static class FellegiSunterCheck
{
    public static (long Candidates, long TrueCandidates, double Recall, double Precision) Run(CorruptedDataset data)
    {
        var rows = data.Records.Select(Normalised).ToArray();
        var candidates = new HashSet<(int, int)>();
        void Block(Func<Row, string?> key)
        {
            foreach (var group in Enumerable.Range(0, rows.Length).Where(i => key(rows[i]) is not null).GroupBy(i => key(rows[i])!))
            {
                var members = group.ToArray();
                for (var a = 0; a < members.Length; a++)
                    for (var b = a + 1; b < members.Length; b++)
                        candidates.Add((members[a], members[b]));
            }
        }
        Block(r => r.First is null || r.Last is null ? null : r.First + "|" + r.Last);
        Block(r => r.Dob);
        Block(r => r.Postcode is null || r.Last is null ? null : r.Postcode + "|" + Soundex(r.Last));
        Block(r => r.Email);

        var pairs = candidates.Select(p => (Levels: Compare(rows[p.Item1], rows[p.Item2]), Match: data.Records[p.Item1].PersonId == data.Records[p.Item2].PersonId)).ToList();
        // Oracle m and u per field and level, with add-one smoothing.
        var weights = new double[5, 5];
        for (var f = 0; f < 5; f++)
        {
            for (var level = 0; level < 4; level++)
            {
                double m = pairs.Count(p => p.Match && p.Levels[f] == level) + 1, mAll = pairs.Count(p => p.Match && p.Levels[f] >= 0) + 4;
                double u = pairs.Count(p => !p.Match && p.Levels[f] == level) + 1, uAll = pairs.Count(p => !p.Match && p.Levels[f] >= 0) + 4;
                weights[f, level] = Math.Log2(m / mAll / (u / uAll));
            }
        }
        var scored = pairs.Select(p => (Score: Enumerable.Range(0, 5).Sum(f => p.Levels[f] < 0 ? 0 : weights[f, p.Levels[f]]), p.Match))
            .OrderByDescending(p => p.Score).ToList();
        long tp = 0, fp = 0, truePairs = data.TruePairs;
        (double Recall, double Precision) best = (0, 1);
        foreach (var (_, match) in scored)
        {
            if (match) tp++; else fp++;
            var precision = tp / (double)(tp + fp);
            if (precision >= 0.99 && tp / (double)truePairs > best.Recall) best = (tp / (double)truePairs, precision);
        }
        return (candidates.Count, pairs.Count(p => p.Match), best.Recall, best.Precision);
    }

    private sealed record Row(string? First, string? Last, string? Dob, string? Postcode, string? Email);

    private static Row Normalised(CorruptedRecord r) => new(
        Name(r.FirstName), Name(r.LastName), r.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Text(r.Postcode), Text(r.Email));

    private static string? Text(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim().ToLowerInvariant();

    private static string? Name(string? v) => Text(v) is { } t ? new string([.. t.Where(char.IsAsciiLetter)]) : null;

    /// <summary>Levels per field: 0 best … 3 disagree; -1 when either side is missing.</summary>
    private static int[] Compare(Row a, Row b) =>
    [
        Level(a.First, b.First, (x, y) => x == y, (x, y) => JaroWinkler(x, y) >= 0.92, (x, y) => JaroWinkler(x, y) >= 0.8),
        Level(a.Last, b.Last, (x, y) => x == y, (x, y) => Soundex(x) == Soundex(y), (x, y) => JaroWinkler(x, y) >= 0.88),
        Level(a.Dob, b.Dob, (x, y) => x == y, (x, y) => Levenshtein(x, y) <= 1, (x, y) => Levenshtein(x, y) <= 2),
        Level(a.Postcode, b.Postcode, (x, y) => x == y),
        Level(a.Email, b.Email, (x, y) => x == y, (x, y) => Levenshtein(x, y) <= 2),
    ];

    private static int Level(string? a, string? b, params Func<string, string, bool>[] levels)
    {
        if (a is null || b is null) return -1;
        for (var i = 0; i < levels.Length; i++)
            if (levels[i](a, b)) return i;
        return 3;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static double JaroWinkler(string a, string b)
    {
        if (a == b) return 1;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        double transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        var jaro = (matches / (double)a.Length + matches / (double)b.Length + (matches - transpositions / 2) / matches) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    private static string Soundex(string name)
    {
        const string codes = "01230120022455012623010202"; // a..z
        var result = new System.Text.StringBuilder().Append(char.ToUpperInvariant(name[0]));
        var last = codes[name[0] - 'a'];
        foreach (var c in name.Skip(1))
        {
            var code = codes[c - 'a'];
            if (code != '0' && code != last) result.Append(code);
            if (c is not ('h' or 'w')) last = code;
            if (result.Length == 4) break;
        }
        return result.ToString().PadRight(4, '0');
    }
}
