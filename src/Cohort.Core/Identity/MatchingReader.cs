using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Identity;

/// <summary>
/// Reads the <c>matching:</c> section of identity.yaml (docs/identity.md, "Probabilistic matching"): fields with the
/// source columns they come from, normalisation, comparison levels and term-frequency adjustment; blocking rules;
/// the threshold and training options. Every problem is a located diagnostic with the nearest valid names.
/// </summary>
internal static partial class MatchingReader
{
    private static readonly FrozenSet<string> MatchingKeys = ["threshold", "fields", "blocking", "training", "max_block_size"];
    private static readonly FrozenSet<string> FieldKeys = ["columns", "normalize", "compare", "term_frequency"];
    private static readonly FrozenSet<string> TrainingKeys = ["random_pairs", "max_iterations"];

    private static readonly IReadOnlyDictionary<string, FieldNormalization> Normalizations = new Dictionary<string, FieldNormalization>(StringComparer.Ordinal)
    {
        ["text"] = FieldNormalization.Text,
        ["name"] = FieldNormalization.Name,
        ["code"] = FieldNormalization.Code,
        ["digits"] = FieldNormalization.Digits,
        ["email"] = FieldNormalization.Email,
        ["phone"] = FieldNormalization.Phone,
        ["date"] = FieldNormalization.Date,
    };

    private static readonly string[] LevelNames = ["exact", "phonetic", "jaro_winkler", "levenshtein"];

    public static MatchingRules? Read(DocEntry entry, IReadOnlyList<IdentitySource> sources, IReadOnlyList<string> sourceNames, SchemaDefinition? schema, NodeReader reader)
    {
        if (reader.Mapping(entry.Value, "'matching'") is not { } map) return null;
        reader.RejectUnknownKeys(map, MatchingKeys, "'matching'");
        var ok = true;

        var threshold = MatchingRules.DefaultThreshold;
        if (map.Find("threshold") is { } t)
        {
            if (reader.Number(t.Value, "'threshold'") is { } value && value > 0 && value < 1) threshold = (double)value;
            else
            {
                reader.Error(DiagnosticCodes.InvalidValue, "'matching.threshold' is the match probability at or above which a pair links; it must be a number between 0 and 1 (exclusive), e.g. 0.99.",
                    t.Value.Location.WithPath("matching.threshold"));
                ok = false;
            }
        }

        var fields = new List<MatchField>();
        if (reader.Required(map, "fields", "'matching'") is { } fieldsEntry && reader.Mapping(fieldsEntry.Value, "'matching.fields'") is { } fieldsMap)
        {
            foreach (var field in fieldsMap.Entries)
            {
                if (ReadField(field, sources, sourceNames, schema, reader) is { } f) fields.Add(f);
                else ok = false;
            }
            if (fieldsMap.Entries.Count == 0)
            {
                reader.Error(DiagnosticCodes.InvalidValue, "'matching.fields' is empty; name at least one field to compare.", fieldsMap.Location.WithPath("matching.fields"));
                ok = false;
            }
        }
        else ok = false;

        var declaredFields = map.Find("fields")?.Value is DocMapping dm ? dm.Entries.Select(e => e.Key).ToList() : [];
        var blocking = new List<BlockingRule>();
        if (reader.Required(map, "blocking", "'matching'") is { } blockingEntry && reader.Sequence(blockingEntry.Value, "'matching.blocking'") is { } rulesList)
        {
            for (var i = 0; i < rulesList.Items.Count; i++)
            {
                if (ReadBlockingRule(rulesList.Items[i], $"matching.blocking[{i}]", declaredFields, reader) is { } rule) blocking.Add(rule);
                else ok = false;
            }
            if (rulesList.Items.Count == 0)
            {
                reader.Error(DiagnosticCodes.InvalidValue, "'matching.blocking' is empty; without a blocking rule every record would be compared with every other.", blockingEntry.Value.Location.WithPath("matching.blocking"));
                ok = false;
            }
            else if (rulesList.Items.Count > 30)
            {
                reader.Error(DiagnosticCodes.InvalidValue, "'matching.blocking' has more than 30 rules.", blockingEntry.Value.Location.WithPath("matching.blocking"));
                ok = false;
            }
        }
        else ok = false;

        var maxBlock = MatchingRules.DefaultMaxBlockSize;
        if (map.Find("max_block_size") is { } mb && reader.Integer(mb.Value, "'max_block_size'") is { } size)
        {
            if (size is < 2 or > 1_000_000)
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"'max_block_size' is {size}; a block needs at least 2 records, and more than 1,000,000 would make up to 500 billion pairs.", mb.Value.Location.WithPath("matching.max_block_size"));
                ok = false;
            }
            else maxBlock = (int)size;
        }

        var randomPairs = MatchingRules.DefaultRandomPairs;
        var maxIterations = MatchingRules.DefaultMaxIterations;
        if (map.Find("training") is { } trainingEntry && reader.Mapping(trainingEntry.Value, "'matching.training'") is { } training)
        {
            reader.RejectUnknownKeys(training, TrainingKeys, "'matching.training'");
            if (training.Find("random_pairs") is { } rp && reader.Integer(rp.Value, "'random_pairs'") is { } pairs)
            {
                if (pairs is < 1000 or > 100_000_000)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, $"'random_pairs' is {pairs}; use between 1,000 and 100,000,000 random pairs to estimate u probabilities.", rp.Value.Location.WithPath("matching.training.random_pairs"));
                    ok = false;
                }
                else randomPairs = (int)pairs;
            }
            if (training.Find("max_iterations") is { } mi && reader.Integer(mi.Value, "'max_iterations'") is { } iterations)
            {
                if (iterations is < 1 or > 1000)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, $"'max_iterations' is {iterations}; use between 1 and 1000.", mi.Value.Location.WithPath("matching.training.max_iterations"));
                    ok = false;
                }
                else maxIterations = (int)iterations;
            }
        }

        if (!ok || fields.Count == 0 || blocking.Count == 0) return null;
        return new MatchingRules([.. fields], [.. blocking], threshold, entry.KeyLocation.WithPath("matching")) { RandomPairs = randomPairs, MaxIterations = maxIterations, MaxBlockSize = maxBlock };
    }

    private static MatchField? ReadField(DocEntry entry, IReadOnlyList<IdentitySource> sources, IReadOnlyList<string> sourceNames, SchemaDefinition? schema, NodeReader reader)
    {
        var path = $"matching.fields.{entry.Key}";
        if (reader.Mapping(entry.Value, "a matching field") is not { } map) return null;
        reader.RejectUnknownKeys(map, FieldKeys, "a matching field");
        var ok = true;

        var columns = new List<(string, string)>();
        if (reader.Required(map, "columns", "a matching field") is { } columnsEntry && reader.Mapping(columnsEntry.Value, $"'{path}.columns'") is { } columnsMap)
        {
            foreach (var c in columnsMap.Entries)
            {
                var at = c.KeyLocation.WithPath($"{path}.columns.{c.Key}");
                if (!sourceNames.Contains(c.Key))
                {
                    reader.Error(DiagnosticCodes.UnknownModel, $"Matching field '{entry.Key}' reads source '{c.Key}', which is not under 'sources'.", at, NameSuggester.Nearest(c.Key, sourceNames));
                    ok = false;
                    continue;
                }
                if (reader.Name(c.Value, "a column name") is not { } column) { ok = false; continue; }
                var source = sources.FirstOrDefault(s => s.Name == c.Key);
                if (source?.Model is { } modelName && schema?.FindModel(modelName) is { } model && model.FindColumn(column) is null)
                {
                    reader.Error(DiagnosticCodes.UnknownColumn, $"Matching field '{entry.Key}' reads column '{column}' of source '{c.Key}', but model '{modelName}' has no such column.",
                        c.Value.Location.WithPath($"{path}.columns.{c.Key}"), NameSuggester.Nearest(column, model.Columns.Select(m => m.Name)));
                    ok = false;
                    continue;
                }
                columns.Add((c.Key, column));
            }
            if (columnsMap.Entries.Count == 0)
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{entry.Key}' has no columns; map at least one source to a column.", columnsMap.Location.WithPath(path + ".columns"));
                ok = false;
            }
        }
        else ok = false;

        var normalize = FieldNormalization.Text;
        if (map.Find("normalize") is { } n && reader.Name(n.Value, "'normalize'") is { } nName)
        {
            if (Normalizations.TryGetValue(nName, out var value)) normalize = value;
            else
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{entry.Key}' has normalize '{nName}'; expected one of {string.Join(", ", Normalizations.Keys)}.",
                    n.Value.Location.WithPath(path + ".normalize"), NameSuggester.Nearest(nName, Normalizations.Keys));
                ok = false;
            }
        }

        var levels = new List<ComparisonLevel>();
        if (map.Find("compare") is { } compareEntry)
        {
            if (reader.Sequence(compareEntry.Value, $"'{path}.compare'") is { } list)
            {
                foreach (var item in list.Items)
                {
                    if (ReadLevel(item, $"{path}.compare", entry.Key, reader) is { } level)
                    {
                        if (levels.Contains(level))
                        {
                            reader.Error(DiagnosticCodes.DuplicateName, $"Matching field '{entry.Key}' lists the level '{level.Label}' twice.", item.Location.WithPath(path + ".compare"));
                            ok = false;
                        }
                        else levels.Add(level);
                    }
                    else ok = false;
                }
                if (list.Items.Count == 0)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{entry.Key}' has no comparison levels.", compareEntry.Value.Location.WithPath(path + ".compare"));
                    ok = false;
                }
                else if (list.Items.Count > 8)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{entry.Key}' has more than 8 comparison levels.", compareEntry.Value.Location.WithPath(path + ".compare"));
                    ok = false;
                }
            }
            else ok = false;
        }
        else levels.Add(new ComparisonLevel(ComparisonKind.Exact));

        var termFrequency = false;
        if (map.Find("term_frequency") is { } tf)
        {
            if (reader.Boolean(tf.Value, "'term_frequency'") is { } flag) termFrequency = flag;
            else ok = false;
            if (termFrequency && !levels.Any(l => l.Kind == ComparisonKind.Exact))
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{entry.Key}' asks for term_frequency, which adjusts the 'exact' level, but has none; add 'exact' to 'compare'.",
                    tf.KeyLocation.WithPath(path + ".term_frequency"));
                ok = false;
            }
        }
        return ok ? new MatchField(entry.Key, [.. columns], normalize, [.. levels], termFrequency, entry.KeyLocation.WithPath(path)) : null;
    }

    private static ComparisonLevel? ReadLevel(DocNode node, string path, string field, NodeReader reader)
    {
        string? name;
        DocNode? argument = null;
        if (node is DocMapping m && m.Entries.Count == 1)
        {
            name = m.Entries[0].Key;
            argument = m.Entries[0].Value;
        }
        else name = reader.Name(node, "a comparison level");
        if (name is null) return null;
        switch (name)
        {
            case "exact" or "phonetic" when argument is null:
                return new ComparisonLevel(name == "exact" ? ComparisonKind.Exact : ComparisonKind.Phonetic);
            case "jaro_winkler" when argument is not null:
                if (reader.Number(argument, "a Jaro-Winkler threshold") is { } jw && jw > 0 && jw < 1) return new ComparisonLevel(ComparisonKind.JaroWinkler, (double)jw);
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{field}': a jaro_winkler level needs a similarity between 0 and 1 (exclusive), e.g. {{jaro_winkler: 0.92}}.", argument.Location.WithPath(path));
                return null;
            case "levenshtein" when argument is not null:
                if (reader.Integer(argument, "a Levenshtein distance") is { } lev && lev is >= 1 and <= 10) return new ComparisonLevel(ComparisonKind.Levenshtein, lev);
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{field}': a levenshtein level needs a distance from 1 to 10, e.g. {{levenshtein: 2}}.", argument.Location.WithPath(path));
                return null;
            case "exact" or "phonetic" or "jaro_winkler" or "levenshtein":
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{field}': write levels as exact, phonetic, {{jaro_winkler: 0.9}} or {{levenshtein: 2}}; '{name}' was written {(argument is null ? "without" : "with")} an argument.", node.Location.WithPath(path));
                return null;
            default:
                reader.Error(DiagnosticCodes.InvalidValue, $"Matching field '{field}' has the comparison level '{name}'; expected one of {string.Join(", ", LevelNames)}.", node.Location.WithPath(path),
                    NameSuggester.Nearest(name, LevelNames));
                return null;
        }
    }

    [GeneratedRegex(@"^\s*(?:(phonetic)\(\s*(\w+)\s*\)|(prefix)\(\s*(\w+)\s*,\s*(\d+)\s*\)|(\w+))\s*$")]
    private static partial Regex KeyPattern();

    private static BlockingRule? ReadBlockingRule(DocNode node, string path, List<string> fields, NodeReader reader)
    {
        var items = node is DocSequence ? reader.Names(node, "a blocking rule") : reader.Name(node, "a blocking rule") is { } single ? [single] : null;
        if (items is null) return null;
        var keys = new List<BlockingKey>();
        var ok = true;
        foreach (var item in items.Value)
        {
            var match = KeyPattern().Match(item);
            if (!match.Success)
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"'{item}' is not a blocking key; write a field name, phonetic(field) or 'prefix(field, n)' (quoted: in a [..] list a comma ends the item).", node.Location.WithPath(path));
                ok = false;
                continue;
            }
            var key = match.Groups[1].Success ? new BlockingKey(match.Groups[2].Value, BlockingKeyKind.Phonetic)
                : match.Groups[3].Success ? new BlockingKey(match.Groups[4].Value, BlockingKeyKind.Prefix, int.Parse(match.Groups[5].Value, CultureInfo.InvariantCulture))
                : new BlockingKey(match.Groups[6].Value, BlockingKeyKind.Value);
            if (!fields.Contains(key.Field))
            {
                reader.Error(DiagnosticCodes.UnknownColumn, $"Blocking rule {path} uses '{key.Field}', which is not a field under 'matching.fields'.", node.Location.WithPath(path), NameSuggester.Nearest(key.Field, fields));
                ok = false;
                continue;
            }
            if (key.Kind == BlockingKeyKind.Prefix && key.Length is < 1 or > 100)
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"prefix({key.Field}, {key.Length}) needs a length from 1 to 100.", node.Location.WithPath(path));
                ok = false;
                continue;
            }
            keys.Add(key);
        }
        if (items.Value.Length == 0)
        {
            reader.Error(DiagnosticCodes.InvalidValue, $"Blocking rule {path} is empty; name the fields records must share.", node.Location.WithPath(path));
            ok = false;
        }
        return ok ? new BlockingRule([.. keys], node.Location.WithPath(path)) : null;
    }
}
