using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Identity;

/// <summary>How a matching field's raw text is normalised before comparison (docs/identity.md, "Probabilistic matching").</summary>
public enum FieldNormalization
{
    /// <summary>Trimmed, lower case.</summary>
    Text,
    /// <summary>Lower case without spaces, dots, commas, apostrophes, hyphens, underscores and digits.</summary>
    Name,
    /// <summary>Lower case letters and digits only (postal codes, reference numbers).</summary>
    Code,
    /// <summary>Only the digits.</summary>
    Digits,
    /// <summary>As an e-mail identifier with Gmail rules; invalid addresses are missing.</summary>
    Email,
    /// <summary>As a phone identifier (E.164, default region US); invalid numbers are missing.</summary>
    Phone,
    /// <summary>The digits of the date written as text (a DATE column or ISO text gives yyyymmdd).</summary>
    Date,
}

/// <summary>A kind of comparison level.</summary>
public enum ComparisonKind
{
    Exact,
    /// <summary>Jaro-Winkler similarity at least the threshold.</summary>
    JaroWinkler,
    /// <summary>Levenshtein distance at most the threshold.</summary>
    Levenshtein,
    /// <summary>Equal American Soundex codes.</summary>
    Phonetic,
}

/// <summary>One level of a field's comparison, most similar levels first.</summary>
public sealed record ComparisonLevel(ComparisonKind Kind, double Threshold = 0)
{
    /// <summary>How the level reads in explanations: <c>exact</c>, <c>jaro_winkler&gt;=0.92</c>, <c>levenshtein&lt;=2</c>, <c>phonetic</c>.</summary>
    public string Label => Kind switch
    {
        ComparisonKind.Exact => "exact",
        ComparisonKind.Phonetic => "phonetic",
        ComparisonKind.JaroWinkler => "jaro_winkler>=" + Threshold.ToString(CultureInfo.InvariantCulture),
        _ => "levenshtein<=" + Threshold.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>An attribute compared between records: the column it comes from in each source, its normalisation and its levels.</summary>
public sealed record MatchField(
    string Name,
    ImmutableArray<(string Source, string Column)> Columns,
    FieldNormalization Normalize,
    ImmutableArray<ComparisonLevel> Levels,
    bool TermFrequency,
    SourceLocation? Location = null)
{
    /// <summary>The column of this field in a source, or null when the source does not have it (compared as missing).</summary>
    public string? ColumnOf(string source) => Columns.FirstOrDefault(c => c.Source == source).Column;

    /// <summary>The level that term-frequency adjustment applies to (the first exact level), or -1.</summary>
    public int TermFrequencyLevel => TermFrequency ? Levels.IndexOf(Levels.FirstOrDefault(l => l.Kind == ComparisonKind.Exact)!) : -1;

    /// <summary>True when a level or a blocking key needs the field's Soundex code.</summary>
    public bool UsesPhonetic(MatchingRules rules) =>
        Levels.Any(l => l.Kind == ComparisonKind.Phonetic) || rules.Blocking.Any(b => b.Keys.Any(k => k.Field == Name && k.Kind == BlockingKeyKind.Phonetic));
}

public enum BlockingKeyKind
{
    Value,
    Phonetic,
    Prefix,
}

/// <summary>One key of a blocking rule: a field's value, its Soundex code, or its first <see cref="Length"/> characters.</summary>
public sealed record BlockingKey(string Field, BlockingKeyKind Kind, int Length = 0)
{
    public string Text => Kind switch
    {
        BlockingKeyKind.Phonetic => $"phonetic({Field})",
        BlockingKeyKind.Prefix => $"prefix({Field}, {Length})",
        _ => Field,
    };
}

/// <summary>Records are compared when they are equal on every key of at least one blocking rule.</summary>
public sealed record BlockingRule(ImmutableArray<BlockingKey> Keys, SourceLocation? Location = null)
{
    public string Text => "[" + string.Join(", ", Keys.Select(k => k.Text)) + "]";
}

/// <summary>
/// The probabilistic rule set (<c>matching:</c> in identity.yaml): Fellegi–Sunter over the fields, with m
/// probabilities estimated by EM on the blocked pairs and u probabilities from random pairs, term-frequency
/// adjustment, and the match probability at or above which a pair links its records.
/// </summary>
public sealed record MatchingRules(
    ImmutableArray<MatchField> Fields,
    ImmutableArray<BlockingRule> Blocking,
    double Threshold,
    SourceLocation? Location = null)
{
    public const double DefaultThreshold = 0.99;
    public const int DefaultRandomPairs = 250_000;
    public const int DefaultMaxIterations = 25;
    public const int DefaultMaxBlockSize = 2000;

    /// <summary>
    /// The most records one block of a blocking rule may hold: a larger block (a placeholder value on thousands of
    /// records) would make millions of pairs that say nothing, so that rule skips it (the others still apply).
    /// </summary>
    public int MaxBlockSize { get; init; } = DefaultMaxBlockSize;

    /// <summary>How many random record pairs estimate the u probabilities.</summary>
    public int RandomPairs { get; init; } = DefaultRandomPairs;

    /// <summary>The most EM iterations per training session.</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>The sources with at least one matching field, in the order first named.</summary>
    public ImmutableArray<string> Sources => [.. Fields.SelectMany(f => f.Columns.Select(c => c.Source)).Distinct()];

    public MatchField? FindField(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
