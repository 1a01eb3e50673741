using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Syncs;

namespace Cohort.Core.Tests;

public sealed class DocumentConverterTests
{
    private static DocNode Read(string text, DocumentFormat format)
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, format == DocumentFormat.Json ? "f.json" : "f.yaml", diagnostics);
        Assert.Empty(diagnostics.Items);
        return root!;
    }

    [Fact]
    public void Json_becomes_yaml_that_keeps_key_order_and_what_each_scalar_means()
    {
        const string json = """{"name":"x","settings":{"batch_size":200,"label":"200","flag":true,"word":"yes","none":null,"url":{"env":"URL"}},"tags":["a","b"]}""";
        var yaml = DocumentConverter.ToYaml(Read(json, DocumentFormat.Json));
        Assert.Equal("""
            name: x
            settings:
              batch_size: 200
              label: "200"
              flag: true
              word: "yes"
              none: null
              url: {env: URL}
            tags: [a, b]

            """.ReplaceLineEndings("\n"), yaml);
        // And back: the same JSON, key for key.
        Assert.Equal(json, DocumentConverter.ToJson(Read(yaml, DocumentFormat.Yaml), indented: false));
    }

    [Fact]
    public void A_top_level_key_can_be_left_out()
    {
        var root = Read("""{"name":"d","type":"webhook","secrets":{"k":"v"},"settings":{"secret":{"secret":"k"}}}""", DocumentFormat.Json);
        var yaml = DocumentConverter.ToYaml(DocumentConverter.Without(root, "secrets"));
        Assert.DoesNotContain("secrets", yaml, StringComparison.Ordinal);
        var destination = DestinationReader.ReadText(yaml, "d.yaml", new DiagnosticBag());
        Assert.Equal(new SettingValue.Secret("k"), destination!.Find("secret")!.Value with { Location = null });
    }
}
