using System.Collections.Immutable;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Documents;

/// <summary>
/// Typed access to <see cref="DocNode"/>s for the definition readers: every wrong shape becomes a diagnostic at
/// the node's location and the accessor returns null, so a reader can carry on and report everything at once.
/// </summary>
internal sealed class NodeReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public void Error(string code, string message, SourceLocation? location, IEnumerable<string>? suggestions = null) =>
        Diagnostics.Error(code, message, location, suggestions);

    public DocMapping? Mapping(DocNode node, string what)
    {
        if (node is DocMapping mapping) return mapping;
        Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedMapping(what, Describe(node)), node.Location);
        return null;
    }

    public DocSequence? Sequence(DocNode node, string what)
    {
        if (node is DocSequence sequence) return sequence;
        Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedList(what, Describe(node)), node.Location);
        return null;
    }

    /// <summary>A non-null scalar as text (numbers and booleans are accepted as their text).</summary>
    public string? Text(DocNode node, string what)
    {
        if (node is DocScalar scalar && !scalar.IsNull) return scalar.Text;
        Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedText(what, Describe(node)), node.Location);
        return null;
    }

    /// <summary>A non-empty name.</summary>
    public string? Name(DocNode node, string what)
    {
        var text = Text(node, what);
        if (text is null) return null;
        if (text.Trim().Length > 0) return text;
        Error(DiagnosticCodes.InvalidValue, Messages.EmptyName(what), node.Location);
        return null;
    }

    public bool? Boolean(DocNode node, string what)
    {
        if (node is DocScalar scalar && ScalarKinds.Of(scalar) == ScalarKind.Boolean && ScalarKinds.TryBoolean(scalar.Text, out var value))
            return value;
        Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedBoolean(what, Describe(node)), node.Location);
        return null;
    }

    public decimal? Number(DocNode node, string what)
    {
        if (node is DocScalar scalar && ScalarKinds.Of(scalar) == ScalarKind.Number && ScalarKinds.TryNumber(scalar.Text, out var value))
            return value;
        Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedNumber(what, Describe(node)), node.Location);
        return null;
    }

    public long? Integer(DocNode node, string what)
    {
        var number = Number(node, what);
        if (number is null) return null;
        if (decimal.Truncate(number.Value) == number.Value && number.Value is >= long.MinValue and <= long.MaxValue)
            return (long)number.Value;
        Error(DiagnosticCodes.InvalidValue, Messages.ExpectedWholeNumber(what), node.Location);
        return null;
    }

    /// <summary>One name or a list of names (duplicates removed, order kept).</summary>
    public ImmutableArray<string>? Names(DocNode node, string what)
    {
        if (node is DocScalar)
            return Name(node, what) is { } single ? [single] : null;
        if (Sequence(node, what) is not { } sequence) return null;
        var names = new List<string>();
        var ok = true;
        foreach (var item in sequence.Items)
        {
            if (Name(item, what) is { } name)
            {
                if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
            }
            else ok = false;
        }
        if (!ok) return null;
        if (names.Count == 0)
        {
            Error(DiagnosticCodes.InvalidValue, Messages.EmptyNameList(what), node.Location);
            return null;
        }
        return [.. names];
    }

    /// <summary>Reports every key not in <paramref name="allowed"/> (COH102), suggesting the nearest allowed keys.</summary>
    public void RejectUnknownKeys(DocMapping mapping, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var entry in mapping.Entries)
        {
            if (!allowed.Contains(entry.Key))
                Error(DiagnosticCodes.UnknownKey, Messages.UnknownKey(entry.Key, what), entry.KeyLocation, NameSuggester.Nearest(entry.Key, allowed));
        }
    }

    /// <summary>The entry for a required key, or a COH103 at the mapping.</summary>
    public DocEntry? Required(DocMapping mapping, string key, string what)
    {
        if (mapping.Find(key) is { } entry) return entry;
        Error(DiagnosticCodes.MissingKey, Messages.MissingKey(key, what), mapping.Location);
        return null;
    }

    /// <summary>
    /// At most one of <paramref name="keys"/> may be present: returns it (or null when none), reporting COH106
    /// at the second one found.
    /// </summary>
    public DocEntry? OneOf(DocMapping mapping, IReadOnlyCollection<string> keys, string what, out bool conflict)
    {
        DocEntry? found = null;
        conflict = false;
        foreach (var entry in mapping.Entries)
        {
            if (!keys.Contains(entry.Key)) continue;
            if (found is null)
            {
                found = entry;
                continue;
            }
            conflict = true;
            Error(DiagnosticCodes.ConflictingKeys, Messages.ConflictingKeys(found.Key, entry.Key, what), entry.KeyLocation);
        }
        return found;
    }

    public static string Describe(DocNode node) => node switch
    {
        DocMapping => "a mapping",
        DocSequence => "a list",
        DocScalar s when s.IsNull => "nothing (null)",
        DocScalar s => ScalarKinds.Of(s) switch
        {
            ScalarKind.Number => $"the number {s.Text}",
            ScalarKind.Boolean => $"the boolean {s.Text}",
            _ => $"the text '{s.Text}'",
        },
        _ => "a value",
    };
}
