using System.Text.RegularExpressions;

namespace Cohort.Core.Documents;

/// <summary>
/// Builds the paths that locate a node inside a document, such as <c>condition.all[1].event</c>.
/// Keys that are not plain identifiers are written in brackets: <c>models["order items"]</c>.
/// </summary>
public static partial class DocumentPath
{
    public static string Key(string parent, string key)
    {
        if (!PlainKey().IsMatch(key))
            return $"{parent}[\"{key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
        return parent.Length == 0 ? key : $"{parent}.{key}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainKey();
}
