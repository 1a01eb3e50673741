using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;

namespace Cohort.Core.Tests.Support;

/// <summary>The fixture files in the source tree (read in place, so golden files can be rewritten there).</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Find();

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The shop schema every fixture audience is validated against (validated once, must be clean).</summary>
    public static SchemaIndex Schema { get; } = LoadSchema();

    /// <summary>Valid helper audiences that fixture audiences may refer to (vip, churned, cycle_partner).</summary>
    public static IReadOnlyList<AudienceDefinition> Library { get; } = LoadLibrary();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cohort.Core.Tests.csproj")))
                return Path.Combine(dir.FullName, "Fixtures");
        }
        throw new InvalidOperationException("Cannot find the Cohort.Core.Tests source folder from " + AppContext.BaseDirectory);
    }

    private static SchemaIndex LoadSchema()
    {
        var diagnostics = new DiagnosticBag();
        var schema = SchemaReader.ReadFile(PathOf("schema.yaml"), diagnostics, "schema.yaml");
        var validated = schema is null ? null : SchemaValidator.Validate(schema, diagnostics);
        if (validated is null || diagnostics.Items.Count > 0)
            throw new InvalidOperationException("The fixture schema is invalid:\n" + string.Join("\n", diagnostics.Items));
        return new SchemaIndex(validated);
    }

    private static List<AudienceDefinition> LoadLibrary()
    {
        var diagnostics = new DiagnosticBag();
        var audiences = System.IO.Directory.GetFiles(Path.Combine(Directory, "library"))
            .Order(StringComparer.Ordinal)
            .Select(f => AudienceReader.ReadFile(f, diagnostics, Path.GetFileName(f)) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items)))
            .ToList();
        return audiences;
    }
}
