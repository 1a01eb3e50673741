using System.Text;

namespace Cohort.Identity.Matching;

/// <summary>
/// String similarity for probabilistic matching, computed in memory. Each function is the reference for the SQL
/// of <see cref="SimilaritySql"/>: it returns exactly what DuckDB's built-ins (and the PL/pgSQL functions written
/// for PostgreSQL) return, so an explanation computed here agrees with the score the warehouse used.
/// </summary>
public static class Similarity
{
    /// <summary>
    /// Jaro-Winkler similarity in [0, 1], equal to DuckDB's <c>jaro_winkler_similarity</c> (rapidfuzz): prefix
    /// weight 0.1 over a common prefix of at most 4, applied only when the Jaro similarity exceeds 0.7. Like DuckDB
    /// it compares UTF-8 bytes, not characters, and scores 0 when either string is empty (even two empty strings).
    /// </summary>
    public static double JaroWinkler(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var p = Encoding.UTF8.GetBytes(a);
        var t = Encoding.UTF8.GetBytes(b);
        var sim = Jaro(p, t);
        if (sim > 0.7)
        {
            var prefix = 0;
            var maxPrefix = Math.Min(4, Math.Min(p.Length, t.Length));
            while (prefix < maxPrefix && p[prefix] == t[prefix]) prefix++;
            sim += prefix * 0.1 * (1.0 - sim);
        }
        return sim;
    }

    private static double Jaro(byte[] p, byte[] t)
    {
        if (p.Length == 0 || t.Length == 0) return 0;
        // Matching window: characters match when no farther apart than max(|p|, |t|) / 2 - 1 (at least 0).
        var bound = Math.Max(0, Math.Max(p.Length, t.Length) / 2 - 1);
        var matchedP = new bool[p.Length];
        var matchedT = new bool[t.Length];
        var common = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var hi = Math.Min(t.Length - 1, i + bound);
            for (var j = Math.Max(0, i - bound); j <= hi; j++)
            {
                if (matchedT[j] || p[i] != t[j]) continue;
                matchedT[j] = matchedP[i] = true;
                common++;
                break;
            }
        }
        if (common == 0) return 0;
        // Transpositions: matched characters out of order, halved with integer division.
        var transposed = 0;
        for (int i = 0, k = 0; i < p.Length; i++)
        {
            if (!matchedP[i]) continue;
            while (!matchedT[k]) k++;
            if (p[i] != t[k]) transposed++;
            k++;
        }
        var transpositions = transposed / 2;
        return ((double)common / p.Length + (double)common / t.Length + (double)(common - transpositions) / common) / 3.0;
    }

    /// <summary>
    /// Levenshtein edit distance with unit costs, equal to DuckDB's <c>levenshtein</c>. Like DuckDB it counts
    /// UTF-8 bytes, not characters: <c>Levenshtein("José", "Jose")</c> is 2.
    /// </summary>
    public static int Levenshtein(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var s = Encoding.UTF8.GetBytes(a);
        var t = Encoding.UTF8.GetBytes(b);
        if (s.Length == 0) return t.Length;
        if (t.Length == 0) return s.Length;
        var previous = new int[t.Length + 1];
        var current = new int[t.Length + 1];
        for (var j = 0; j <= t.Length; j++) previous[j] = j;
        for (var i = 1; i <= s.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= t.Length; j++)
            {
                var substitution = previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[t.Length];
    }

    /// <summary>
    /// American Soundex of the ASCII letters of <paramref name="s"/> (everything else is ignored), or null when it
    /// has none. The first letter is kept; vowels (and y) separate equal codes, h and w do not; a code equal to the
    /// one before it, including the first letter's, is dropped; the result is padded with 0 to four characters.
    /// </summary>
    public static string? Soundex(string? s)
    {
        if (s is null) return null;
        var letters = s.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray();
        if (letters.Length == 0) return null;
        var result = new StringBuilder(4).Append(char.ToUpperInvariant(letters[0]));
        // h or w as the first letter has no code: it behaves like a vowel (nothing for the next code to repeat).
        var previous = Code(letters[0]) is var first && first == 'h' ? '0' : first;
        foreach (var c in letters.Skip(1))
        {
            var code = Code(c);
            if (code == 'h') continue; // h and w are transparent: the codes either side still collapse
            if (code != '0' && code != previous && result.Length < 4) result.Append(code);
            previous = code;
        }
        return result.Append('0', 4 - result.Length).ToString();
    }

    // Soundex digit of a lower-case ASCII letter: '0' for vowels and y, 'h' for the transparent h and w.
    private static char Code(char c) => c switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        'h' or 'w' => 'h',
        _ => '0',
    };
}
