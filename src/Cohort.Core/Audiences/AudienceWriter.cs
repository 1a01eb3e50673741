using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>
/// Writes audiences and conditions in the documented syntax (docs/audiences.md), as YAML or JSON, in their
/// shortest idiomatic form. Reading the output gives back the same definition (same <see cref="CanonicalJson"/>).
/// </summary>
public static class AudienceWriter
{
    public static string ToYaml(AudienceDefinition audience) => YamlDocumentWriter.Write(AudienceSyntax.Audience(audience));

    public static string ToJson(AudienceDefinition audience, bool indented = true) =>
        JsonDocumentWriter.Write(AudienceSyntax.Audience(audience), indented);

    public static string ToYaml(Condition condition) => YamlDocumentWriter.Write(AudienceSyntax.Condition(condition));

    public static string ToJson(Condition condition, bool indented = true) =>
        JsonDocumentWriter.Write(AudienceSyntax.Condition(condition), indented);

    public static string Write(AudienceDefinition audience, DocumentFormat format) =>
        format == DocumentFormat.Json ? ToJson(audience) : ToYaml(audience);
}
