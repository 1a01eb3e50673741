using System.Text;

namespace Cohort.Server.Store;

/// <summary>A unified-style line diff (LCS over lines): <c>-</c> removed, <c>+</c> added, <c> </c> context.</summary>
public static class LineDiff
{
    /// <summary>Documents longer than this (in lines, either side) are diffed as a whole replacement.</summary>
    private const int MaxLines = 4000;

    public static string Unified(string? before, string? after, int context = 3)
    {
        var a = Lines(before);
        var b = Lines(after);
        if (a.Length > MaxLines || b.Length > MaxLines)
            return string.Concat(a.Select(l => $"-{l}\n")) + string.Concat(b.Select(l => $"+{l}\n"));

        // LCS table from the end, then walk forward.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<(char Op, string Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add((' ', a[x])); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(('-', a[x])); x++; }
            else { ops.Add(('+', b[y])); y++; }
        }

        // Keep only changed lines and `context` lines around them.
        var keep = new bool[ops.Count];
        for (var k = 0; k < ops.Count; k++)
        {
            if (ops[k].Op == ' ') continue;
            for (var c = Math.Max(0, k - context); c <= Math.Min(ops.Count - 1, k + context); c++) keep[c] = true;
        }
        var text = new StringBuilder();
        var skipped = false;
        for (var k = 0; k < ops.Count; k++)
        {
            if (!keep[k]) { skipped = true; continue; }
            if (skipped && text.Length > 0) text.Append("@@\n");
            skipped = false;
            text.Append(ops[k].Op).Append(ops[k].Line).Append('\n');
        }
        return text.ToString();
    }

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
