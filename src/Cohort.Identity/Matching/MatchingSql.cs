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

    /// <summary>A key's value for record <paramref name="alias"/>.</summary>
    public string Key(BlockingKey k, string alias)
    {
        var i = Index(k.Field);
        return k.Kind switch
        {
            BlockingKeyKind.Phonetic => $"{alias}.{P(i)}",
            BlockingKeyKind.Prefix => $"substr({alias}.{F(i)}, 1, {k.Length})",
            _ => $"{alias}.{F(i)}",
        };
    }

    /// <summary>How many records share rule <paramref name="r"/>'s keys with each record (a window over the records), as <c>bs{r}</c>.</summary>
    public string BlockSize(BlockingRule rule, int r, string alias) =>
        $"count(*) OVER (PARTITION BY {string.Join(", ", rule.Keys.Select(k => Key(k, alias)))}) AS bs{r}";

    /// <summary>The join condition of blocking rule <paramref name="rule"/> between records <c>a</c> and <c>b</c>.</summary>
    public string Blocking(BlockingRule rule) => string.Join(" AND ", rule.Keys.Select(k => $"{Key(k, "a")} = {Key(k, "b")}"));

    /// <summary>True when every key of the rule has a value for record <paramref name="alias"/>.</summary>
    public string HasKeys(BlockingRule rule, string alias) => string.Join(" AND ", rule.Keys.Select(k => $"{Key(k, alias)} IS NOT NULL"));

    /// <summary>The fields a blocking rule blocks on (their m cannot be learnt from its pairs).</summary>
    public int[] BlockedFields(BlockingRule rule) => [.. rule.Keys.Select(k => Index(k.Field)).Distinct()];

    public int Index(string field) => matching.Fields.IndexOf(matching.FindField(field)!);

    /// <summary>
    /// A query of the comparison level of every field (<c>g0</c>, <c>g1</c>, …) for the record pairs <c>ra</c>,
    /// <c>rb</c> of <paramref name="from"/>, with the <paramref name="passthrough"/> columns (expression, alias): -1
    /// when either value is missing, 0 for the first level that holds, the number of levels when none does. Each
    /// similarity is computed once per pair and field, and not at all for equal or missing values.
    /// </summary>
    public string LevelsQuery(IReadOnlyList<(string Expression, string Alias)> passthrough, string from)
    {
        var inner = new List<string>(passthrough.Select(p => $"{p.Expression} AS {p.Alias}"));
        var outer = new List<string>(passthrough.Select(p => p.Alias));
        for (var i = 0; i < matching.Fields.Length; i++)
        {
            var field = matching.Fields[i];
            string a = $"ra.{F(i)}", b = $"rb.{F(i)}";
            var differs = $"{a} IS NOT NULL AND {b} IS NOT NULL AND {a} <> {b}";
            inner.Add($"CASE WHEN {a} IS NULL OR {b} IS NULL THEN -1 WHEN {a} = {b} THEN 1 ELSE 0 END AS e{i}");
            if (field.Levels.Any(l => l.Kind == ComparisonKind.JaroWinkler))
                inner.Add($"CASE WHEN {differs} THEN {SimilaritySql.JaroWinkler(dialect, quotedSchema, a, b)} END AS jw{i}");
            if (field.Levels.Any(l => l.Kind == ComparisonKind.Levenshtein))
                inner.Add($"CASE WHEN {differs} THEN {SimilaritySql.Levenshtein(dialect, quotedSchema, a, b)} END AS lv{i}");
            if (field.Levels.Any(l => l.Kind == ComparisonKind.Phonetic))
                inner.Add($"CASE WHEN ra.{P(i)} = rb.{P(i)} THEN 1 ELSE 0 END AS ph{i}");
            var cases = field.Levels.Select((level, l) => level.Kind switch
            {
                ComparisonKind.Exact => $"WHEN e{i} = 1 THEN {l}",
                ComparisonKind.Phonetic => $"WHEN ph{i} = 1 THEN {l}",
                // Equal values satisfy every similarity level.
                ComparisonKind.JaroWinkler => $"WHEN e{i} = 1 OR jw{i} >= {Number(level.Threshold)} THEN {l}",
                _ => $"WHEN e{i} = 1 OR lv{i} <= {Number(level.Threshold)} THEN {l}",
            });
            outer.Add($"CASE WHEN e{i} = -1 THEN -1 {string.Join(" ", cases)} ELSE {field.Levels.Length} END AS {G(i)}");
        }
        // PostgreSQL would pull the subquery up and call a similarity function once per reference: OFFSET 0 keeps it.
        var fence = dialect == SqlDialectName.Postgres ? " OFFSET 0" : "";
        return $"SELECT {string.Join(", ", outer)}\nFROM (SELECT {string.Join(",\n       ", inner)}\n      FROM {from}{fence}) AS x";
    }
}
