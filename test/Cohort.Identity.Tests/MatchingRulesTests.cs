using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Core.Projects;

namespace Cohort.Identity.Tests;

/// <summary>The <c>matching:</c> section: what it reads to, and a located, suggestive diagnostic for each mistake.</summary>
public sealed class MatchingRulesTests
{
    private static readonly Core.Schema.SchemaDefinition Schema = ProjectLoader.LoadSchemaText("""
        models:
          customers:
            kind: parent
            table: customers
            primary_key: customer_id
            columns: {customer_id: integer, email: string, first_name: string, last_name: string, zip: string}
        """, Core.Documents.DocumentFormat.Yaml).Schema;

    private const string Head = """
        identifiers:
          email: {}
        sources:
          customers: {model: customers, columns: {email: email}}
          crm: {table: crm, key: id, columns: {mail: email}}
        """;

    private static (IdentityRules? Rules, IReadOnlyList<Diagnostic> Diagnostics) Read(string matching)
    {
        var bag = new DiagnosticBag();
        var rules = IdentityReader.ReadText(Head + "\n" + matching, Schema, bag);
        return (rules, bag.Items);
    }

    [Fact]
    public void Fields_levels_blocking_and_threshold_are_read()
    {
        var (rules, diagnostics) = Read("""
            matching:
              threshold: 0.995
              fields:
                first_name: {columns: {customers: first_name, crm: given}, normalize: name, compare: [exact, {jaro_winkler: 0.92}, phonetic], term_frequency: true}
                zip: {columns: {customers: zip, crm: postcode}, normalize: code}
                email: {columns: {customers: email}, normalize: email, compare: [exact, {levenshtein: 2}]}
              blocking:
                - [first_name, zip]
                - [phonetic(first_name), 'prefix(zip, 3)']   # quoted: a comma ends an item in a YAML flow list
                - email
              training: {random_pairs: 5000, max_iterations: 40}
            """);
        Assert.Empty(diagnostics);
        var m = rules!.Matching!;
        Assert.Equal(0.995, m.Threshold);
        Assert.Equal(["first_name", "zip", "email"], m.Fields.Select(f => f.Name));
        var first = m.FindField("first_name")!;
        Assert.Equal(FieldNormalization.Name, first.Normalize);
        Assert.Equal(["exact", "jaro_winkler>=0.92", "phonetic"], first.Levels.Select(l => l.Label));
        Assert.Equal(0, first.TermFrequencyLevel);
        Assert.Equal("given", first.ColumnOf("crm"));
        Assert.Null(m.FindField("email")!.ColumnOf("crm"));
        Assert.Equal(["exact"], m.FindField("zip")!.Levels.Select(l => l.Label));
        Assert.Equal(["[first_name, zip]", "[phonetic(first_name), prefix(zip, 3)]", "[email]"], m.Blocking.Select(b => b.Text));
        Assert.Equal(["customers", "crm"], m.Sources.ToArray());
        Assert.Equal((5000, 40), (m.RandomPairs, m.MaxIterations));
        Assert.True(first.UsesPhonetic(m));
        Assert.False(m.FindField("email")!.UsesPhonetic(m));
    }

    [Theory]
    [InlineData("fields: {x: {columns: {customerz: zip}}}\n  blocking: [[x]]", "source 'customerz', which is not under 'sources'", "customers")]
    [InlineData("fields: {x: {columns: {customers: zipp}}}\n  blocking: [[x]]", "has no such column", "zip")]
    [InlineData("fields: {x: {columns: {customers: zip}, normalize: nmae}}\n  blocking: [[x]]", "normalize 'nmae'", "name")]
    [InlineData("fields: {x: {columns: {customers: zip}, compare: [exakt]}}\n  blocking: [[x]]", "comparison level 'exakt'", "exact")]
    [InlineData("fields: {x: {columns: {customers: zip}, compare: [{jaro_winkler: 1.5}]}}\n  blocking: [[x]]", "similarity between 0 and 1", null)]
    [InlineData("fields: {x: {columns: {customers: zip}, compare: [{levenshtein: 0}]}}\n  blocking: [[x]]", "distance from 1 to 10", null)]
    [InlineData("fields: {x: {columns: {customers: zip}, compare: [jaro_winkler]}}\n  blocking: [[x]]", "without an argument", null)]
    [InlineData("fields: {x: {columns: {customers: zip}, compare: [phonetic], term_frequency: true}}\n  blocking: [[x]]", "adjusts the 'exact' level", null)]
    [InlineData("fields: {zipcode: {columns: {customers: zip}}}\n  blocking: [[zip_code]]", "'zip_code', which is not a field", "zipcode")]
    [InlineData("fields: {x: {columns: {customers: zip}}}\n  blocking: [['soundex(x)']]", "not a blocking key", null)]
    [InlineData("fields: {x: {columns: {customers: zip}}}\n  blocking: []", "without a blocking rule", null)]
    [InlineData("max_block_size: 1\n  fields: {x: {columns: {customers: zip}}}\n  blocking: [[x]]", "'max_block_size' is 1", null)]
    [InlineData("threshold: 1.5\n  fields: {x: {columns: {customers: zip}}}\n  blocking: [[x]]", "between 0 and 1", null)]
    [InlineData("fields: {x: {columns: {customers: zip}}}\n  blocking: [[x]]\n  training: {random_pairs: 10}", "random_pairs", null)]
    [InlineData("fields: {x: {columns: {customers: zip}}}\n  blocking: [[x]]\n  treshold: 0.9", "treshold", "threshold")]
    public void A_mistake_is_a_located_diagnostic_with_the_nearest_name(string body, string message, string? suggestion)
    {
        var (rules, diagnostics) = Read("matching:\n  " + body + "\n");
        Assert.Null(rules);
        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Location);
        Assert.True(error.Location!.Line > 5, $"line {error.Location.Line}");
        if (suggestion is not null) Assert.Contains(suggestion, error.Suggestions);
    }
}
