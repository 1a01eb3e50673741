using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>
/// Reads conditions written in the syntax of docs/audiences.md. Literals stay as written (text, number,
/// boolean); <see cref="AudienceValidator"/> types them for their columns.
/// </summary>
public static class ConditionReader
{
    /// <summary>
    /// Reads one condition (a mapping with one kind key, or a list meaning <c>all</c>). Returns null when the
    /// node cannot be read; every problem is added to <paramref name="diagnostics"/>.
    /// </summary>
    public static Condition? Read(DocNode node, DiagnosticBag diagnostics) =>
        new ConditionParser(new NodeReader(diagnostics)).Condition(node);
}
