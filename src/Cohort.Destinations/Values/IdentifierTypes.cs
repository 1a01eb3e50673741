using System.Collections.Frozen;
using System.Text;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Values;

/// <summary>The snake-case names of <see cref="IdentifierType"/> used in sync files, payloads and files (email, zip_code, ...).</summary>
public static class IdentifierTypes
{
    private static readonly FrozenDictionary<IdentifierType, string> Names =
        Enum.GetValues<IdentifierType>().ToFrozenDictionary(t => t, t => Snake(t.ToString()));

    private static readonly FrozenDictionary<string, IdentifierType> ByName =
        Names.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    public static string NameOf(IdentifierType type) => Names[type];

    public static bool TryParse(string name, out IdentifierType type) => ByName.TryGetValue(name, out type);

    public static IEnumerable<string> AllNames => ByName.Keys.Order(StringComparer.Ordinal);

    private static string Snake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
