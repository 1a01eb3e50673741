using Cohort.Core.Diagnostics;

namespace Cohort.Core.Documents;

/// <summary>
/// A format-neutral document tree (from YAML or JSON) that remembers where every node was written, so that
/// binding it to the schema and audience models can report file:line:column and the path of each problem.
/// </summary>
public abstract record DocNode(SourceLocation Location);

public sealed record DocMapping(SourceLocation Location, IReadOnlyList<DocEntry> Entries) : DocNode(Location)
{
    public DocEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);
}

public sealed record DocEntry(string Key, SourceLocation KeyLocation, DocNode Value);

public sealed record DocSequence(SourceLocation Location, IReadOnlyList<DocNode> Items) : DocNode(Location);

public enum ScalarStyle
{
    /// <summary>Unquoted YAML: may be a number, boolean or null by its text.</summary>
    Plain,
    /// <summary>Quoted YAML or a JSON string: always text.</summary>
    Quoted,
    /// <summary>A JSON number.</summary>
    Number,
    /// <summary>A JSON true/false.</summary>
    Boolean,
    /// <summary>A JSON null or YAML null/~.</summary>
    Null,
}

public sealed record DocScalar(SourceLocation Location, string Text, ScalarStyle Style) : DocNode(Location)
{
    public bool IsNull => Style == ScalarStyle.Null ||
                          (Style == ScalarStyle.Plain && Text is "" or "~" or "null" or "Null" or "NULL");
}
