using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Tests;

public sealed class DocumentReaderTests
{
    private static (DocNode? Root, IReadOnlyList<Diagnostic> Diagnostics) ReadYaml(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (DocumentReader.ReadText(text, DocumentFormat.Yaml, "f.yaml", diagnostics), diagnostics.Items);
    }

    private static (DocNode? Root, IReadOnlyList<Diagnostic> Diagnostics) ReadJson(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (DocumentReader.ReadText(text, DocumentFormat.Json, "f.json", diagnostics), diagnostics.Items);
    }

    [Fact]
    public void Yaml_nodes_and_keys_carry_line_column_and_path()
    {
        var (root, diagnostics) = ReadYaml("condition:\n  all:\n    - {property: country}\n    - event: Order Completed\n");
        Assert.Empty(diagnostics);
        var all = (DocSequence)((DocMapping)((DocMapping)root!).Find("condition")!.Value).Find("all")!.Value;
        var second = (DocMapping)all.Items[1];
        Assert.Equal(new SourceLocation("f.yaml", 4, 7, "condition.all[1]"), second.Location);
        var entry = second.Find("event")!;
        Assert.Equal(new SourceLocation("f.yaml", 4, 7, "condition.all[1].event"), entry.KeyLocation);
        Assert.Equal(new SourceLocation("f.yaml", 4, 14, "condition.all[1].event"), entry.Value.Location);
        Assert.Equal(3, ((DocMapping)all.Items[0]).Find("property")!.Value.Location.Line);
    }

    [Fact]
    public void Yaml_scalar_styles_keep_quoted_text_apart_from_plain_text()
    {
        var (root, _) = ReadYaml("a: 123\nb: '123'\nc: \"x\"\nd: !!str 5\ne:\nf: ~\n");
        var map = (DocMapping)root!;
        Assert.Equal(ScalarStyle.Plain, ((DocScalar)map.Find("a")!.Value).Style);
        Assert.Equal(ScalarStyle.Quoted, ((DocScalar)map.Find("b")!.Value).Style);
        Assert.Equal(ScalarStyle.Quoted, ((DocScalar)map.Find("c")!.Value).Style);
        Assert.Equal(ScalarStyle.Quoted, ((DocScalar)map.Find("d")!.Value).Style);
        Assert.True(((DocScalar)map.Find("e")!.Value).IsNull);
        Assert.True(((DocScalar)map.Find("f")!.Value).IsNull);
    }

    [Fact]
    public void Every_duplicate_yaml_key_is_reported_and_the_first_value_kept()
    {
        var (root, diagnostics) = ReadYaml("a: 1\nb: 2\na: 3\nb: 4\n");
        Assert.Equal(["COH104", "COH104"], diagnostics.Select(d => d.Code));
        Assert.Equal([3, 4], diagnostics.Select(d => d.Location!.Line));
        Assert.Equal("1", ((DocScalar)((DocMapping)root!).Find("a")!.Value).Text);
    }

    [Fact]
    public void Malformed_yaml_reports_the_parser_position()
    {
        var (root, diagnostics) = ReadYaml("a:\n  - x\n  y: 2\n");
        Assert.Null(root);
        var error = Assert.Single(diagnostics);
        Assert.Equal("COH100", error.Code);
        Assert.Equal((3, 3), (error.Location!.Line, error.Location.Column));
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_that_crashes_the_scanner_is_still_a_diagnostic()
    {
        // YamlDotNet throws InvalidOperationException (not YamlException) on this input.
        var (root, diagnostics) = ReadYaml("a: [1, 2\n");
        Assert.Null(root);
        Assert.Equal("COH100", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Yaml_aliases_resolve_to_their_anchored_node()
    {
        var (root, diagnostics) = ReadYaml("a: &x {k: v}\nb: *x\n");
        Assert.Empty(diagnostics);
        var map = (DocMapping)root!;
        Assert.Same(map.Find("a")!.Value, map.Find("b")!.Value);
    }

    [Fact]
    public void Unknown_yaml_alias_is_malformed()
    {
        var (_, diagnostics) = ReadYaml("a: *nope\n");
        Assert.Equal("COH100", Assert.Single(diagnostics).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Empty_yaml_is_reported(string text)
    {
        var (root, diagnostics) = ReadYaml(text);
        Assert.Null(root);
        Assert.Equal("COH100", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Several_yaml_documents_in_one_file_are_reported()
    {
        var (_, diagnostics) = ReadYaml("a: 1\n---\nb: 2\n");
        var error = Assert.Single(diagnostics);
        Assert.Equal("COH100", error.Code);
        Assert.Equal(2, error.Location!.Line);
    }

    [Fact]
    public void Json_columns_count_characters_not_bytes()
    {
        var (root, diagnostics) = ReadJson("{\"naïve€\": 1,\n \"b\": [true, null, \"x\"]}");
        Assert.Empty(diagnostics);
        var map = (DocMapping)root!;
        Assert.Equal(new SourceLocation("f.json", 1, 12, "[\"naïve€\"]"), map.Entries[0].Value.Location);
        var list = (DocSequence)map.Find("b")!.Value;
        Assert.Equal(new SourceLocation("f.json", 2, 14, "b[1]"), list.Items[1].Location);
        Assert.Equal(ScalarStyle.Boolean, ((DocScalar)list.Items[0]).Style);
        Assert.True(((DocScalar)list.Items[1]).IsNull);
        Assert.Equal(ScalarStyle.Quoted, ((DocScalar)list.Items[2]).Style);
    }

    [Fact]
    public void Json_numbers_keep_their_text()
    {
        var (root, _) = ReadJson("{\"a\": 1.50, \"b\": 1e3}");
        var map = (DocMapping)root!;
        Assert.Equal(new DocScalar(new SourceLocation("f.json", 1, 7, "a"), "1.50", ScalarStyle.Number), map.Find("a")!.Value);
        Assert.Equal("1e3", ((DocScalar)map.Find("b")!.Value).Text);
    }

    [Fact]
    public void Every_duplicate_json_key_is_reported_at_the_key()
    {
        var (_, diagnostics) = ReadJson("{\"a\": 1,\n \"a\": 2,\n \"a\": 3}");
        Assert.Equal(["COH104", "COH104"], diagnostics.Select(d => d.Code));
        Assert.Equal(new SourceLocation("f.json", 2, 2, "a"), diagnostics[0].Location);
    }

    [Fact]
    public void Malformed_json_reports_line_and_column_without_reader_internals()
    {
        var (root, diagnostics) = ReadJson("{\n  \"a\": [1, 2,]\n}");
        Assert.Null(root);
        var error = Assert.Single(diagnostics);
        Assert.Equal(("COH100", 2), (error.Code, error.Location!.Line));
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_is_ignored()
    {
        var (root, diagnostics) = ReadJson("\uFEFF{\"a\": 1}");
        Assert.Empty(diagnostics);
        Assert.IsType<DocMapping>(root);
    }

    [Fact]
    public void Deep_nesting_is_a_diagnostic_not_a_crash()
    {
        var text = new string('[', 5000) + new string(']', 5000);
        Assert.Equal("COH100", Assert.Single(ReadYaml(text).Diagnostics).Code);
        Assert.Equal("COH100", Assert.Single(ReadJson(text).Diagnostics).Code);
    }

    [Fact]
    public void Missing_file_is_reported_as_not_found()
    {
        var diagnostics = new DiagnosticBag();
        Assert.Null(DocumentReader.ReadFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".yaml"), diagnostics, "gone.yaml"));
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(("COH107", "gone.yaml"), (error.Code, error.Location!.File));
    }

    [Theory]
    [InlineData("a.yaml", DocumentFormat.Yaml)]
    [InlineData("a.YML", DocumentFormat.Yaml)]
    [InlineData("dir/a.json", DocumentFormat.Json)]
    [InlineData("a.txt", null)]
    public void Format_is_chosen_by_extension(string path, DocumentFormat? expected) =>
        Assert.Equal(expected, DocumentReader.FormatOf(path));

    [Theory]
    [InlineData("123", ScalarKind.Number)]
    [InlineData("-1.50", ScalarKind.Number)]
    [InlineData("00123", ScalarKind.String)]
    [InlineData("1e3", ScalarKind.String)]
    [InlineData("+5", ScalarKind.String)]
    [InlineData("true", ScalarKind.Boolean)]
    [InlineData("False", ScalarKind.Boolean)]
    [InlineData("yes", ScalarKind.String)]
    [InlineData("2026-01-05", ScalarKind.String)]
    [InlineData("~", ScalarKind.Null)]
    public void Plain_scalars_are_typed_by_their_text(string text, ScalarKind expected) =>
        Assert.Equal(expected, ScalarKinds.OfPlain(text));
}
