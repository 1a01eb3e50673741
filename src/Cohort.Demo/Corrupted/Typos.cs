using System.Text;

namespace Cohort.Demo.Corrupted;

/// <summary>One slip of the fingers: a character substituted (usually by its keyboard neighbour), dropped, doubled or
/// inserted, or two neighbours transposed. Only letters and digits are touched; the case of the original is kept.</summary>
internal static class Typos
{
    public static string Apply(Random rng, string value, bool keepLength = false)
    {
        var positions = Enumerable.Range(0, value.Length).Where(i => char.IsAsciiLetterOrDigit(value[i])).ToArray();
        if (positions.Length < 2) return value;
        var at = positions[rng.Next(positions.Length)];
        var text = new StringBuilder(value);
        var kind = keepLength ? rng.Next(2) * 3 : rng.Next(4); // keepLength: substitute or transpose only
        switch (kind)
        {
            case 0: // substitute, 3 times in 4 with the key next door
                text[at] = SameCase(value[at], rng.Next(4) > 0 ? Neighbour(rng, value[at]) : Other(rng, value[at]));
                break;
            case 1: // drop
                text.Remove(at, 1);
                break;
            case 2: // insert: a neighbouring key or the same key twice
                text.Insert(at, SameCase(value[at], rng.Next(2) == 0 ? Neighbour(rng, value[at]) : char.ToLowerInvariant(value[at])));
                break;
            default: // transpose with the next letter or digit
                var next = Array.IndexOf(positions, at) + 1 < positions.Length ? positions[Array.IndexOf(positions, at) + 1] : positions[^2];
                (text[at], text[next]) = (SameCase(value[at], value[next]), SameCase(value[next], value[at]));
                break;
        }
        var result = text.ToString();
        // Transposing "ll" changes nothing: fall back to a substitution so that a typo is always a change.
        if (result == value)
        {
            text[at] = SameCase(value[at], Other(rng, value[at]));
            result = text.ToString();
        }
        return result;
    }

    private static char Neighbour(Random rng, char c)
    {
        var near = CorruptedVocabulary.KeyNeighbours.GetValueOrDefault(char.ToLowerInvariant(c), "");
        if (char.IsAsciiDigit(c)) near = new string([.. near.Where(char.IsAsciiDigit)]);
        return near.Length == 0 ? Other(rng, c) : near[rng.Next(near.Length)];
    }

    private static char Other(Random rng, char c)
    {
        var pool = char.IsAsciiDigit(c) ? "0123456789" : "abcdefghijklmnopqrstuvwxyz";
        char pick;
        do pick = pool[rng.Next(pool.Length)];
        while (pick == char.ToLowerInvariant(c));
        return pick;
    }

    private static char SameCase(char original, char c) => char.IsUpper(original) ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
}
