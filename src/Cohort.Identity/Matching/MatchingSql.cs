using System.Globalization;
using Cohort.Core.Identity;
using Cohort.Sql;

namespace Cohort.Identity.Matching;

/// <summary>
/// The SQL text of probabilistic matching that depends on the rules: field normalisation, blocking conditions and
/// comparison levels. Column names are generated (<c>f0</c>, <c>p0</c>, <c>g0</c>), so no user text is ever
/// spliced in except validated, quoted identifiers and numbers from the rules.
/// </summary>
internal sealed class MatchingSql(MatchingRules matching, IdentityRules rules, SqlDialectName dialect, string quotedSchema)
{
    public static string F(int i) => "f" + i.ToString(CultureInfo.InvariantCulture);
    public static string P(int i) => "p" + i.ToString(CultureInfo.InvariantCulture);
    public static string G(int i) => "g" + i.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The normalised value of a field from a raw text expression, NULL when nothing usable is left.</summary>
    public string Normalize(MatchField field, string raw)
    {
        var trimmed = $"NULLIF(trim({raw}), '')";
        return field.Normalize switch
        {
            FieldNormalization.Name => $"NULLIF(regexp_replace(lower({trimmed}), '[ .,''_0-9-]', '', 'g'), '')",
            FieldNormalization.Code => $"NULLIF(regexp_replace(lower({trimmed}), '[^a-z0-9]', '', 'g'), '')",
            FieldNormalization.Digits => $"NULLIF(regexp_replace({trimmed}, '[^0-9]', '', 'g'), '')",
            FieldNormalization.Date => $"NULLIF(substr(regexp_replace({trimmed}, '[^0-9]', '', 'g'), 1, 8), '')",
            FieldNormalization.Email => Normalization.Expression(new IdentifierDefinition(field.Name, IdentifierType.Email, null, [], [], Gmail: true, StripPlus: true), raw),
            FieldNormalization.Phone => Normalization.Expression(new IdentifierDefinition(field.Name, IdentifierType.Phone, null, [], [],
                DefaultRegion: rules.Identifiers.FirstOrDefault(i => i.Type == IdentifierType.Phone)?.DefaultRegion ?? "US"), raw),
            _ => $"lower({trimmed})",
        };
    }

    /// <summary>One SELECT per source: source, record_key and the normalised fields (NULL where the source lacks one).</summary>
    public string Records()
    {
        var selects = matching.Sources.Select(name =>
        {
            var source = rules.FindSource(name)!;
            var columns = matching.Fields.Select((f, i) => f.ColumnOf(name) is { } column
                ? $"{Normalize(f, $"CAST(src.{IdentitySql.Quote(column)} AS VARCHAR)")} AS {F(i)}"
                : $"CAST(NULL AS VARCHAR) AS {F(i)}");
            return $"SELECT {IdentitySql.Literal(name)} AS source, CAST(src.{IdentitySql.Quote(source.Key)} AS VARCHAR) AS record_key, {string.Join(", ", columns)} " +
                   $"FROM {IdentitySql.Relation(source.Table)} AS src WHERE src.{IdentitySql.Quote(source.Key)} IS NOT NULL";
        });
        return string.Join("\nUNION ALL\n", selects);
    }

    /// <summary>The Soundex column of every field that a level or a blocking key compares phonetically.</summary>
    public IEnumerable<string> PhoneticColumns(string alias) => matching.Fields.Select((f, i) => (f, i)).Where(x => x.f.UsesPhonetic(matching))
        .Select(x => $"{SimilaritySql.Soundex(dialect, $"{alias}.{F(x.i)}")} AS {P(x.i)}");

    /// <summary>The join condition of blocking rule <paramref name="rule"/> between records <c>a</c> and <c>b</c>.</summary>
    public string Blocking(BlockingRule rule) => string.Join(" AND ", rule.Keys.Select(k =>
    {
        var i = Index(k.Field);
        return k.Kind switch
        {
            BlockingKeyKind.Phonetic => $"a.{P(i)} = b.{P(i)}",
            BlockingKeyKind.Prefix => $"substr(a.{F(i)}, 1, {k.Length}) = substr(b.{F(i)}, 1, {k.Length})",
            _ => $"a.{F(i)} = b.{F(i)}",
        };
    }));

    /// <summary>The fields a blocking rule blocks on (their m cannot be learnt from its pairs).</summary>
    public int[] BlockedFields(BlockingRule rule) => [.. rule.Keys.Select(k => Index(k.Field)).Distinct()];

    public int Index(string field) => matching.Fields.IndexOf(matching.FindField(field)!);

    /// <summary>
    /// The comparison level of every field for records <c>ra</c> and <c>rb</c>: -1 when either is missing, 0 for
    /// the first level that holds, the number of levels when none does. Similarities are computed once per field.
    /// </summary>
    public string Levels()
    {
        var parts = matching.Fields.Select((field, i) =>
        {
            string a = $"ra.{F(i)}", b = $"rb.{F(i)}";
            var jw = SimilaritySql.JaroWinkler(dialect, quotedSchema, a, b);
            var lev = SimilaritySql.Levenshtein(dialect, quotedSchema, a, b);
            var cases = field.Levels.Select((level, l) => level.Kind switch
            {
                ComparisonKind.Exact => $"WHEN {a} = {b} THEN {l}",
                ComparisonKind.Phonetic => $"WHEN ra.{P(i)} = rb.{P(i)} THEN {l}",
                ComparisonKind.JaroWinkler => $"WHEN {jw} >= {Number(level.Threshold)} THEN {l}",
                _ => $"WHEN {lev} <= {Number(level.Threshold)} THEN {l}",
            });
            return $"CASE WHEN {a} IS NULL OR {b} IS NULL THEN -1 {string.Join(" ", cases)} ELSE {field.Levels.Length} END AS {G(i)}";
        });
        return string.Join(",\n       ", parts);
    }

    public string LevelColumns(string alias) => string.Join(", ", matching.Fields.Select((_, i) => $"{alias}.{G(i)}"));
}
