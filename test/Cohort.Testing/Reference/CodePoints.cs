namespace Cohort.Testing.Reference;

/// <summary>
/// Strings as sequences of Unicode code points, which is how docs/semantics.md compares them. Ordinal UTF-16
/// comparison differs for characters outside the Basic Multilingual Plane (a surrogate pair sorts before
/// U+E000..U+FFFF in UTF-16 but after it by code point), so everything here decodes to code points first.
/// </summary>
public static class CodePoints
{
    /// <summary>The code points of <paramref name="text"/>; throws on an unpaired surrogate (not valid text).</summary>
    public static int[] Of(string text)
    {
        var result = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new InvalidOperationException($"String has an unpaired surrogate at index {i}; it is not valid text.");
            }
            else
            {
                result.Add(text[i]);
            }
        }
        return [.. result];
    }

    /// <summary>Lexicographic order by code point; a proper prefix sorts first.</summary>
    public static int Compare(string a, string b)
    {
        var x = Of(a);
        var y = Of(b);
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
        }
        return x.Length.CompareTo(y.Length);
    }

    public static bool Contains(string value, string part) => IndexOf(Of(value), Of(part)) >= 0;

    public static bool StartsWith(string value, string prefix)
    {
        var v = Of(value);
        var p = Of(prefix);
        return p.Length <= v.Length && v.AsSpan(0, p.Length).SequenceEqual(p);
    }

    public static bool EndsWith(string value, string suffix)
    {
        var v = Of(value);
        var s = Of(suffix);
        return s.Length <= v.Length && v.AsSpan(v.Length - s.Length).SequenceEqual(s);
    }

    private static int IndexOf(int[] value, int[] part)
    {
        for (var start = 0; start + part.Length <= value.Length; start++)
        {
            if (value.AsSpan(start, part.Length).SequenceEqual(part)) return start;
        }
        return -1;
    }
}
