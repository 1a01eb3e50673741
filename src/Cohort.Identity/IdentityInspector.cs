using System.Globalization;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Identity;

/// <summary>A source row: the source's name and the row's key, written <c>source:key</c>.</summary>
public sealed record RecordRef(string Source, string Key)
{
    public override string ToString() => $"{Source}:{Key}";

    public static bool TryParse(string text, out RecordRef record)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        record = colon > 0 && colon < text.Length - 1 ? new RecordRef(text[..colon], text[(colon + 1)..]) : new RecordRef("", "");
        return colon > 0 && colon < text.Length - 1;
    }
}

/// <summary>One identifier value a record carries, with what became of it.</summary>
public sealed record Occurrence(RecordRef Record, string Identifier, string Column, string? Value, string Status, string? Reason, string CohortId);

/// <summary>A value shared by two or more records of a cohort: the edge that joined them, and the rule that made it one.</summary>
public sealed record Link(string Identifier, string Value, IReadOnlyList<(RecordRef Record, string Column)> Records, string Rule);

public sealed record CohortExplanation(string CohortId, IReadOnlyList<RecordRef> Records, IReadOnlyList<Link> Links, IReadOnlyList<Occurrence> Occurrences)
{
    /// <summary>The probabilistic matches inside the cohort (empty without <c>matching:</c>).</summary>
    public IReadOnlyList<MatchLink> Matches { get; init; } = [];
}

/// <summary>What one field said about a scored pair: its comparison level and the weight (log2 m/u) it added.</summary>
public sealed record FieldEvidence(string Field, string Level, double Weight);

/// <summary>
/// A pair of records scored by probabilistic matching: match weight (log2 odds, prior included) and probability,
/// what became of it (linked, shared identifiers, rejected, below threshold), each field's evidence and the
/// term-frequency adjustment.
/// </summary>
public sealed record MatchLink(RecordRef A, RecordRef B, double Weight, double Probability, string Status, string? Reason, IReadOnlyList<FieldEvidence> Fields, double TermFrequencyAdjustment)
{
    /// <summary>The identifier name path steps through a probabilistic match carry.</summary>
    public const string Identifier = "probabilistic";

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{A} ~ {B}: match probability {Probability:0.0000}, weight {Weight:0.0}");
}

/// <summary>One hop of a path between two records: from a record through a shared value to the next record.</summary>
public sealed record PathStep(RecordRef From, string Identifier, string Value, string FromColumn, RecordRef To, string ToColumn, string Status, string? Reason);

/// <summary>
/// Why two records are (or are not) one profile: the same cohort with the shortest path of shared values, or
/// different cohorts with the path that would have joined them and what broke it (blocked value, limit rule).
/// </summary>
public sealed record WhyAnswer(RecordRef A, RecordRef B, string CohortA, string CohortB, IReadOnlyList<PathStep>? Path)
{
    public bool Together => CohortA == CohortB;
}

/// <summary>How the identity graph compares with a truth table (one person id per record).</summary>
public sealed record IdentityEvaluation(
    long Records, long Matched, long Cohorts, long People,
    long TruePairs, long PredictedPairs, long CorrectPairs,
    double PairPrecision, double PairRecall, double PairF1,
    double BCubedPrecision, double BCubedRecall, double BCubedF1);

/// <summary>Reads the identity tables to explain cohorts and pairs of records, and to score the graph against a truth table.</summary>
public sealed class IdentityInspector(IWarehouse warehouse, string stateSchema = IdentityTables.DefaultSchema)
{
    private readonly IdentitySql _sql = new(warehouse.Dialect, stateSchema);

    /// <summary>True when identity resolution has run (its tables exist).</summary>
    public async Task<bool> HasRunAsync(CancellationToken ct = default)
    {
        try
        {
            await warehouse.DescribeQueryAsync($"SELECT cohort_id FROM {_sql.T(IdentityTables.Records)}", ct).ConfigureAwait(false);
            return true;
        }
        catch (WarehouseException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="table"/> exists with the columns <c>source, record_id, person_id</c>.</summary>
    /// <summary>True when the last run used probabilistic matching (its pairs table exists).</summary>
    public async Task<bool> UsedMatchingAsync(CancellationToken ct = default)
    {
        try
        {
            await warehouse.DescribeQueryAsync($"SELECT status FROM {_sql.T(IdentityTables.Pairs)}", ct).ConfigureAwait(false);
            await warehouse.DescribeQueryAsync($"SELECT deterministic_group FROM {_sql.T(IdentityTables.Records)}", ct).ConfigureAwait(false);
            return true;
        }
        catch (WarehouseException)
        {
            return false;
        }
    }

    public async Task<bool> IsTruthTableAsync(string table, CancellationToken ct = default)
    {
        try
        {
            await warehouse.DescribeQueryAsync($"SELECT source, record_id, person_id FROM {IdentitySql.Relation(table)}", ct).ConfigureAwait(false);
            return true;
        }
        catch (WarehouseException)
        {
            return false;
        }
    }

    public async Task<CohortExplanation?> ExplainAsync(string cohortId, CancellationToken ct = default)
    {
        var records = (await IdentitySql.RowsAsync(warehouse, _sql.Sql(
                $"SELECT source, record_key FROM {_sql.T(IdentityTables.Records)} WHERE cohort_id = $1 ORDER BY source, record_key", (SqlParameterType.String, cohortId)), ct).ConfigureAwait(false))
            .Select(r => new RecordRef((string)r[0]!, (string)r[1]!)).ToList();
        if (records.Count == 0) return null;
        var occurrences = await OccurrencesAsync("cohort_id = $1", [(SqlParameterType.String, cohortId)], ct).ConfigureAwait(false);
        var links = occurrences.Where(o => o.Status == "linked" && o.Value is not null)
            .GroupBy(o => (o.Identifier, Value: o.Value!))
            .Where(g => g.Select(o => o.Record).Distinct().Count() >= 2)
            .Select(g => new Link(g.Key.Identifier, g.Key.Value, [.. g.Select(o => (o.Record, o.Column))], $"same normalised {g.Key.Identifier}"))
            .OrderBy(l => l.Identifier, StringComparer.Ordinal).ThenBy(l => l.Value, StringComparer.Ordinal).ToList();
        var matches = await MatchesAsync("ra.cohort_id = $1 AND p.status = 'linked'", [(SqlParameterType.String, cohortId)], ct).ConfigureAwait(false);
        return new CohortExplanation(cohortId, records, links, occurrences) { Matches = matches };
    }

    /// <summary>Scored pairs whose records satisfy <paramref name="where"/> (aliases p, ra, rb), with each field's evidence; empty without matching.</summary>
    public async Task<List<MatchLink>> MatchesAsync(string where, (SqlParameterType, object)[] parameters, CancellationToken ct = default)
    {
        List<object?[]> model, rows;
        try
        {
            model = await IdentitySql.RowsAsync(warehouse, _sql.Sql($"SELECT position, field, level, label, weight FROM {_sql.T(IdentityTables.MatchModel)} WHERE position IS NOT NULL"), ct).ConfigureAwait(false);
            rows = await IdentitySql.RowsAsync(warehouse, _sql.Sql($"""
                SELECT p.source_a, p.key_a, p.source_b, p.key_b, p.match_weight, p.match_probability, p.status, p.reason, p.levels, p.tf_adjustment
                FROM {_sql.T(IdentityTables.Pairs)} AS p
                JOIN {_sql.T(IdentityTables.Records)} AS ra ON ra.source = p.source_a AND ra.record_key = p.key_a
                JOIN {_sql.T(IdentityTables.Records)} AS rb ON rb.source = p.source_b AND rb.record_key = p.key_b
                WHERE {where}
                ORDER BY p.match_weight DESC, p.source_a, p.key_a, p.source_b, p.key_b
                """, parameters), ct).ConfigureAwait(false);
        }
        catch (WarehouseException)
        {
            return [];
        }
        var levels = model.ToDictionary(r => (Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Convert.ToInt32(r[2], CultureInfo.InvariantCulture)),
            r => (Field: (string)r[1]!, Label: (string)r[3]!, Weight: Convert.ToDouble(r[4], CultureInfo.InvariantCulture)));
        var fields = model.Select(r => (Position: Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Field: (string)r[1]!)).Distinct().OrderBy(f => f.Position).ToList();
        double D(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);
        return [.. rows.Select(r =>
        {
            var codes = ((string)r[8]!).Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var evidence = fields.Select((f, i) => i < codes.Length && codes[i] >= 0 && levels.TryGetValue((f.Position, codes[i]), out var l)
                ? new FieldEvidence(f.Field, l.Label, l.Weight)
                : new FieldEvidence(f.Field, "missing", 0)).ToList();
            return new MatchLink(new RecordRef((string)r[0]!, (string)r[1]!), new RecordRef((string)r[2]!, (string)r[3]!), D(r[4]), D(r[5]), (string)r[6]!, r[7] as string, evidence, D(r[9]));
        })];
    }

    /// <summary>The cohort of a record, or null when the record is not in the graph.</summary>
    public async Task<string?> CohortOfAsync(RecordRef record, CancellationToken ct = default) =>
        await warehouse.ScalarAsync(_sql.Sql($"SELECT cohort_id FROM {_sql.T(IdentityTables.Records)} WHERE source = $1 AND record_key = $2",
            (SqlParameterType.String, record.Source), (SqlParameterType.String, record.Key)), ct).ConfigureAwait(false) as string;

    public async Task<WhyAnswer?> WhyAsync(RecordRef a, RecordRef b, CancellationToken ct = default)
    {
        var cohortA = await CohortOfAsync(a, ct).ConfigureAwait(false);
        var cohortB = await CohortOfAsync(b, ct).ConfigureAwait(false);
        if (cohortA is null || cohortB is null) return null;
        // Everything both cohorts carry, plus every record elsewhere that shares one of their set-aside values.
        var occurrences = await OccurrencesAsync("cohort_id IN ($1, $2)", [(SqlParameterType.String, cohortA), (SqlParameterType.String, cohortB)], ct).ConfigureAwait(false);
        // Probabilistic matches are edges too: a pair becomes a value both records carry, so one search covers both kinds.
        var matches = await MatchesAsync("ra.cohort_id IN ($1, $2) AND rb.cohort_id IN ($1, $2)", [(SqlParameterType.String, cohortA), (SqlParameterType.String, cohortB)], ct).ConfigureAwait(false);
        foreach (var m in matches.Where(m => m.Status != "shared identifiers"))
        {
            var (status, reason) = m.Status switch
            {
                "linked" => ("linked", (string?)null),
                "rejected" => ("dropped", m.Reason),
                _ => ("below threshold", "match probability below the threshold"),
            };
            occurrences.Add(new Occurrence(m.A, MatchLink.Identifier, "match", m.Describe(), status, reason, cohortA));
            occurrences.Add(new Occurrence(m.B, MatchLink.Identifier, "match", m.Describe(), status, reason, cohortB));
        }
        var path = ShortestPath(occurrences, a, b, cohortA == cohortB);
        return new WhyAnswer(a, b, cohortA, cohortB, path);
    }

    /// <summary>
    /// Breadth-first search over records joined by equal values. Within one cohort only linked values count; between
    /// cohorts, blocked and dropped values count too, so the answer shows which of them kept the records apart.
    /// </summary>
    internal static List<PathStep>? ShortestPath(IReadOnlyList<Occurrence> occurrences, RecordRef a, RecordRef b, bool linkedOnly)
    {
        var usable = occurrences.Where(o => o.Value is not null && (o.Status == "linked" || (!linkedOnly && o.Status is "blocked" or "dropped" or "below threshold"))).ToList();
        var byRecord = usable.GroupBy(o => o.Record).ToDictionary(g => g.Key, g => g.ToList());
        var byValue = usable.GroupBy(o => (o.Identifier, o.Value)).ToDictionary(g => g.Key, g => g.ToList());
        var previous = new Dictionary<RecordRef, PathStep?> { [a] = null };
        var queue = new Queue<RecordRef>([a]);
        // Linked values first, so a path through set-aside values is only shown when no linked path exists.
        while (queue.Count > 0)
        {
            var record = queue.Dequeue();
            if (record == b) break;
            if (!byRecord.TryGetValue(record, out var mine)) continue;
            foreach (var o in mine.OrderBy(o => o.Status == "linked" ? 0 : 1).ThenBy(o => o.Identifier, StringComparer.Ordinal).ThenBy(o => o.Value, StringComparer.Ordinal))
            {
                foreach (var other in byValue[(o.Identifier, o.Value)].OrderBy(x => x.Record.Source, StringComparer.Ordinal).ThenBy(x => x.Record.Key, StringComparer.Ordinal))
                {
                    if (previous.ContainsKey(other.Record)) continue;
                    var status = o.Status == "linked" && other.Status == "linked" ? "linked" : o.Status != "linked" ? o.Status : other.Status;
                    var reason = o.Status != "linked" ? o.Reason : other.Reason;
                    previous[other.Record] = new PathStep(record, o.Identifier, o.Value!, o.Column, other.Record, other.Column, status, status == "linked" ? null : reason);
                    queue.Enqueue(other.Record);
                }
            }
        }
        if (!previous.ContainsKey(b)) return null;
        var path = new List<PathStep>();
        for (var at = b; previous[at] is { } step; at = step.From) path.Add(step);
        path.Reverse();
        return path;
    }

    private async Task<List<Occurrence>> OccurrencesAsync(string where, (SqlParameterType, object)[] parameters, CancellationToken ct)
    {
        var rows = await IdentitySql.RowsAsync(warehouse, _sql.Sql(
            $"SELECT source, record_key, identifier, column_name, value, status, reason, cohort_id FROM {_sql.T(IdentityTables.Occurrences)} WHERE {where} ORDER BY source, record_key, identifier, column_name",
            parameters), ct).ConfigureAwait(false);
        return [.. rows.Select(r => new Occurrence(new RecordRef((string)r[0]!, (string)r[1]!), (string)r[2]!, (string)r[3]!, r[4] as string, (string)r[5]!, r[6] as string, (string)r[7]!))];
    }

    /// <summary>
    /// Pairwise precision, recall and F1 (pairs of records put together vs pairs that belong together) and B-cubed
    /// (per record: the share of its cohort that is the same person, and of its person that is in its cohort),
    /// over the records the truth table knows. <paramref name="truthTable"/> has <c>source, record_id, person_id</c>.
    /// With <paramref name="deterministicOnly"/>, the partition scored is the one shared identifiers alone make
    /// (<c>deterministic_group</c>), without probabilistic links.
    /// </summary>
    public async Task<IdentityEvaluation> EvaluateAsync(string truthTable, CancellationToken ct = default, bool deterministicOnly = false)
    {
        var group = deterministicOnly ? "deterministic_group" : "cohort_id";
        var records = _sql.T(IdentityTables.Records);
        var rows = await IdentitySql.RowsAsync(warehouse, _sql.Sql($"""
            WITH j AS (
                SELECT r.{group} AS cohort_id, t.person_id FROM {records} AS r
                JOIN {IdentitySql.Relation(truthTable)} AS t ON t.source = r.source AND CAST(t.record_id AS VARCHAR) = r.record_key
            ), cp AS (SELECT cohort_id, person_id, count(*) AS n FROM j GROUP BY cohort_id, person_id),
            c AS (SELECT cohort_id, count(*) AS n FROM j GROUP BY cohort_id),
            p AS (SELECT person_id, count(*) AS n FROM j GROUP BY person_id)
            SELECT
                (SELECT count(*) FROM {records}),
                (SELECT count(*) FROM j),
                (SELECT count(*) FROM c),
                (SELECT count(*) FROM p),
                (SELECT CAST(COALESCE(sum(n * (n - 1) / 2), 0) AS DOUBLE PRECISION) FROM p),
                (SELECT CAST(COALESCE(sum(n * (n - 1) / 2), 0) AS DOUBLE PRECISION) FROM c),
                (SELECT CAST(COALESCE(sum(n * (n - 1) / 2), 0) AS DOUBLE PRECISION) FROM cp),
                (SELECT COALESCE(sum(CAST(cp.n AS DOUBLE PRECISION) * cp.n / c.n), 0) FROM cp JOIN c ON c.cohort_id = cp.cohort_id),
                (SELECT COALESCE(sum(CAST(cp.n AS DOUBLE PRECISION) * cp.n / p.n), 0) FROM cp JOIN p ON p.person_id = cp.person_id)
            """), ct).ConfigureAwait(false);
        var r = rows[0];
        long L(int i) => Convert.ToInt64(r[i], CultureInfo.InvariantCulture);
        double D(int i) => Convert.ToDouble(r[i], CultureInfo.InvariantCulture);
        var matched = L(1);
        double Ratio(double a, double b) => b == 0 ? 1.0 : a / b;
        double F1(double p, double q) => p + q == 0 ? 0 : 2 * p * q / (p + q);
        var precision = Ratio(D(6), D(5));
        var recall = Ratio(D(6), D(4));
        var bp = matched == 0 ? 0 : D(7) / matched;
        var br = matched == 0 ? 0 : D(8) / matched;
        return new IdentityEvaluation(L(0), matched, L(2), L(3), (long)D(4), (long)D(5), (long)D(6), precision, recall, F1(precision, recall), bp, br, F1(bp, br));
    }
}
