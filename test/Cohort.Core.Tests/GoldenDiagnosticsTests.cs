using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

/// <summary>
/// Each <c>Fixtures/&lt;case&gt;.audience.yaml|json</c> is read and validated against the fixture schema and
/// library, and its diagnostics must equal <c>&lt;case&gt;.diagnostics.json</c> exactly. Set COHORT_UPDATE_GOLDEN=1
/// to rewrite the expected files, then review their diff.
/// </summary>
public sealed class GoldenDiagnosticsTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("COHORT_UPDATE_GOLDEN") == "1";

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixtures.Directory)
                     .Select(Path.GetFileName)
                     .Where(f => f!.EndsWith(".audience.yaml", StringComparison.Ordinal) || f.EndsWith(".audience.json", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
            cases.Add(file!);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_diagnostics_match_the_golden_file(string fixture)
    {
        var diagnostics = new DiagnosticBag();
        var audience = AudienceReader.ReadFile(Fixtures.PathOf(fixture), diagnostics, fixture);
        if (audience is not null)
        {
            var all = Fixtures.Library.Append(audience).ToList();
            AudienceValidator.Validate(audience, Fixtures.Schema, all, diagnostics);
        }
        var actual = Serialize(diagnostics.Items);
        var goldenPath = Fixtures.PathOf(fixture[..fixture.IndexOf(".audience.", StringComparison.Ordinal)] + ".diagnostics.json");
        if (Update) File.WriteAllText(goldenPath, actual);
        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing; run the tests with COHORT_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(goldenPath), actual);
    }

    [Fact]
    public void Every_bad_input_class_has_a_fixture_that_reports_an_error()
    {
        string[] classes =
        [
            "malformed_yaml", "malformed_json", "duplicate_keys", "unknown_model", "unknown_column", "unknown_event",
            "unknown_operator", "contains_on_number", "negative_window", "empty_group", "audience_cycle", "several_errors",
            "sql_injection_names", "timestamp_without_zone", "trait_outside_parent",
        ];
        foreach (var name in classes)
        {
            var golden = Fixtures.PathOf(name + ".diagnostics.json");
            Assert.True(File.Exists(golden), golden);
            Assert.Contains("\"code\"", File.ReadAllText(golden));
        }
        Assert.Equal("[]\n", File.ReadAllText(Fixtures.PathOf("valid.diagnostics.json")));
    }

    private static string Serialize(IEnumerable<Diagnostic> diagnostics)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartArray();
            foreach (var d in diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("code", d.Code);
                writer.WriteNumber("line", d.Location?.Line ?? 0);
                writer.WriteNumber("column", d.Location?.Column ?? 0);
                writer.WriteString("path", d.Location?.Path ?? "");
                writer.WriteString("message", d.Message);
                writer.WriteStartArray("suggestions");
                foreach (var s in d.Suggestions) writer.WriteStringValue(s);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
