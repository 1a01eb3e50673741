using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Tests.Support;

/// <summary>Short ways to read definitions in tests.</summary>
internal static class Read
{
    public static Condition Condition(string yaml, DocumentFormat format = DocumentFormat.Yaml)
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(yaml, format, format == DocumentFormat.Yaml ? "test.yaml" : "test.json", diagnostics);
        var condition = root is null ? null : ConditionReader.Read(root, diagnostics);
        Assert.True(diagnostics.Items.Count == 0, string.Join("\n", diagnostics.Items));
        return condition!;
    }

    public static IReadOnlyList<Diagnostic> ConditionDiagnostics(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(yaml, DocumentFormat.Yaml, "test.yaml", diagnostics);
        if (root is not null) ConditionReader.Read(root, diagnostics);
        return diagnostics.Items;
    }

    public static AudienceDefinition Audience(string text, string fileName = "test.yaml")
    {
        var diagnostics = new DiagnosticBag();
        var audience = AudienceReader.ReadText(text, fileName, diagnostics);
        Assert.True(diagnostics.Items.Count == 0, string.Join("\n", diagnostics.Items));
        return audience!;
    }

    /// <summary>Reads and validates an audience against the fixture schema and library; returns the bound audience and every diagnostic.</summary>
    public static (AudienceDefinition? Bound, IReadOnlyList<Diagnostic> Diagnostics) Validate(string text, SchemaIndex? schema = null, string fileName = "test.yaml")
    {
        var diagnostics = new DiagnosticBag();
        var audience = AudienceReader.ReadText(text, fileName, diagnostics);
        if (audience is null) return (null, diagnostics.Items);
        var all = Fixtures.Library.Append(audience).ToList();
        var bound = AudienceValidator.Validate(audience, schema ?? Fixtures.Schema, all, diagnostics);
        return (bound, diagnostics.Items);
    }

    /// <summary>Reads and validates a schema; returns it with every diagnostic.</summary>
    public static (SchemaDefinition Schema, IReadOnlyList<Diagnostic> Diagnostics) Schema(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(yaml, DocumentFormat.Yaml, "schema.yaml", diagnostics);
        var schema = root is null ? SchemaDefinition.Empty : SchemaValidator.Validate(SchemaReader.Read(root, diagnostics), diagnostics);
        return (schema, diagnostics.Items);
    }

    public static string Codes(IEnumerable<Diagnostic> diagnostics) => string.Join(" ", diagnostics.Select(d => d.Code));
}
