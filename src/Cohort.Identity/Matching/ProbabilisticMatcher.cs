using System.Diagnostics;
using System.Globalization;
using Cohort.Core.Identity;
using Cohort.Warehouses;

namespace Cohort.Identity.Matching;

/// <summary>What probabilistic matching did in a run.</summary>
public sealed record MatchingSummary(
    long Records,
    long CandidatePairs,
    long ScoredPairs,
    long LinkedPairs,
    long RejectedPairs,
    long MergedComponents,
    double Lambda,
    int Iterations,
    TimeSpan Elapsed)
{
    /// <summary>Blocks larger than <c>max_block_size</c> that their blocking rule skipped (a value on too many records to compare them all).</summary>
    public long SkippedBlocks { get; init; }

    /// <summary>Wall time per step (records, pairs, levels, u, em, score, link, output), in order.</summary>
    public IReadOnlyList<(string Step, TimeSpan Elapsed)> Steps { get; init; } = [];
}

/// <summary>
/// Probabilistic matching in the warehouse (docs/identity.md, "Probabilistic matching"), run after the
/// deterministic graph is final: the records of the matching sources with normalised fields; candidate pairs from
/// the blocking rules; comparison levels per pair (Jaro-Winkler, Levenshtein, Soundex, exact); u from random pairs
/// and m by EM on the pattern counts (<see cref="FellegiSunter"/>); match weights with term-frequency adjustment.
/// Pairs at or above the threshold join their deterministic components unless the union would break a limit
/// rule; the component table <c>_idw_comp</c> is rewritten with the joined labels and keeps the deterministic one
/// in <c>det</c>. Everything heavy is SQL bounded by the blocking rules; only pattern counts reach memory.
/// </summary>
internal sealed class ProbabilisticMatcher(IWarehouse warehouse, IdentityRules rules, MatchingRules matching, IdentitySql sql, TimeProvider clock)
{
    private readonly MatchingSql _m = new(matching, rules, sql.Dialect, IdentitySql.Quote(sql.Schema));

    private string W(string name) => sql.Work("_idw_" + name);

    /// <summary>The work tables a run with <paramref name="fields"/> matching fields may leave (one term-frequency table per field).</summary>
    public static IEnumerable<string> WorkTables(int fields) =>
        ["mr", "mp", "mg", "msc", "me", "mrej", "medges", "mcc", "mgroup", "mbad", "comp_m", "pairs_new", "model_new",
         .. Enumerable.Range(0, fields).Select(i => "tf" + i.ToString(CultureInfo.InvariantCulture))];

    public FellegiSunterModel? Model { get; private set; }

    private readonly List<(string, TimeSpan)> _steps = [];
    private long _stepStarted;

    private void Lap(string step)
    {
        var now = clock.GetTimestamp();
        _steps.Add((step, clock.GetElapsedTime(_stepStarted, now)));
        _stepStarted = now;
    }

    public async Task<MatchingSummary> RunAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        _stepStarted = started;
        var setup = SimilaritySql.Setup(sql.Dialect, IdentitySql.Quote(sql.Schema));
        if (setup.Count > 0) await warehouse.ExecuteScriptAsync(string.Join(";\n", setup), ct).ConfigureAwait(false);

        var phonetic = _m.PhoneticColumns("x").ToList();
        await warehouse.ExecuteScriptAsync(
            $"""
            CREATE TABLE {W("mr")} AS
            SELECT y.*{string.Concat(matching.Blocking.Select((rule, r) => ", " + _m.BlockSize(rule, r, "y")))}
            FROM (SELECT row_number() OVER (ORDER BY x.source, x.record_key) AS rid, x.*, c.comp{string.Concat(phonetic.Select(p => ", " + p))}
                  FROM ({_m.Records()}) AS x JOIN {W("comp")} AS c ON c.source = x.source AND c.record_key = x.record_key) AS y
            """ + sql.Analyze(W("mr")), ct).ConfigureAwait(false);
        Lap("records");
        await warehouse.ExecuteScriptAsync(
            $"""
            CREATE TABLE {W("mp")} AS
            SELECT a, b, bit_or(rules) AS rules FROM (
            {string.Join("\nUNION ALL\n", matching.Blocking.Select((rule, r) =>
                $"SELECT a.rid AS a, b.rid AS b, CAST({1L << r} AS BIGINT) AS rules FROM {W("mr")} AS a JOIN {W("mr")} AS b ON {_m.Blocking(rule)} AND a.rid < b.rid " +
                $"WHERE a.bs{r} <= {matching.MaxBlockSize}"))}
            ) AS u GROUP BY a, b
            """, ct).ConfigureAwait(false);
        Lap("pairs");
        await warehouse.ExecuteScriptAsync(
            $"""
            CREATE TABLE {W("mg")} AS
            {_m.LevelsQuery([("p.a", "a"), ("p.b", "b"), ("p.rules", "rules"), ("ra.comp", "comp_a"), ("rb.comp", "comp_b")],
                $"{W("mp")} AS p JOIN {W("mr")} AS ra ON ra.rid = p.a JOIN {W("mr")} AS rb ON rb.rid = p.b")}
            """ + sql.Analyze(W("mg")), ct).ConfigureAwait(false);
        Lap("levels");

        var records = await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {W("mr")}"), ct).ConfigureAwait(false);
        var skipped = await IdentitySql.LongAsync(warehouse, sql.Sql("SELECT " + string.Join(" + ", matching.Blocking.Select((rule, r) =>
            $"(SELECT count(*) FROM (SELECT DISTINCT {string.Join(", ", rule.Keys.Select(k => _m.Key(k, "m")))} FROM {W("mr")} AS m WHERE m.bs{r} > {matching.MaxBlockSize} AND {_m.HasKeys(rule, "m")}) AS o{r})"))), ct).ConfigureAwait(false);
        var candidates = await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {W("mg")}"), ct).ConfigureAwait(false);
        var levelCounts = matching.Fields.Select(f => f.Levels.Length).ToArray();

        // u: the level counts of random pairs among a random sample of records (ordered by a hash, so repeatable).
        var sample = (long)Math.Ceiling(Math.Sqrt(2.0 * matching.RandomPairs)) + 1;
        var randomCounts = levelCounts.Select(l => new long[l + 1]).ToArray();
        var groups = string.Join("\nUNION ALL\n", matching.Fields.Select((_, i) => $"SELECT {i} AS field, {MatchingSql.G(i)} AS level, count(*) AS n FROM g GROUP BY {MatchingSql.G(i)}"));
        var uRows = await IdentitySql.RowsAsync(warehouse, sql.Sql($"""
            WITH s AS (SELECT * FROM {W("mr")} ORDER BY md5(CAST(rid AS VARCHAR) || ':u'), rid LIMIT {sample}),
            g AS ({_m.LevelsQuery([], "s AS ra JOIN s AS rb ON ra.rid < rb.rid")})
            {groups}
            """), ct).ConfigureAwait(false);
        foreach (var row in uRows)
        {
            var level = Convert.ToInt32(row[1], CultureInfo.InvariantCulture);
            if (level >= 0) randomCounts[Convert.ToInt32(row[0], CultureInfo.InvariantCulture)][level] += Convert.ToInt64(row[2], CultureInfo.InvariantCulture);
        }
        var u = FellegiSunter.EstimateU(levelCounts, randomCounts);
        Lap("u");

        var columns = string.Join(", ", matching.Fields.Select((_, i) => MatchingSql.G(i)));
        var patternRows = await IdentitySql.RowsAsync(warehouse, sql.Sql($"SELECT rules, {columns}, count(*) FROM {W("mg")} GROUP BY rules, {columns}"), ct).ConfigureAwait(false);
        var patterns = patternRows.Select(r => new ComparisonPattern(Convert.ToInt64(r[0], CultureInfo.InvariantCulture),
            [.. Enumerable.Range(0, levelCounts.Length).Select(i => Convert.ToInt32(r[i + 1], CultureInfo.InvariantCulture))],
            Convert.ToInt64(r[^1], CultureInfo.InvariantCulture))).ToList();
        var totalPairs = records * (records - 1) / 2.0;
        var model = FellegiSunter.Train(levelCounts, u, patterns, [.. matching.Blocking.Select(_m.BlockedFields)], totalPairs, matching.MaxIterations);
        Model = model;
        Lap("em");

        await ScoreAsync(model, ct).ConfigureAwait(false);
        Lap("score");
        var (linked, rejected, merged) = await LinkAsync(ct).ConfigureAwait(false);
        Lap("link");
        await OutputAsync(model, ct).ConfigureAwait(false);
        Lap("output");
        var scored = await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {W("pairs_new")}"), ct).ConfigureAwait(false);
        return new MatchingSummary(records, candidates, scored, linked, rejected, merged, model.Lambda, model.Iterations, clock.GetElapsedTime(started))
        {
            Steps = [.. _steps],
            SkippedBlocks = skipped,
        };
    }

    /// <summary>Match weight (log2 of the odds) and probability of every candidate pair.</summary>
    private async Task ScoreAsync(FellegiSunterModel model, CancellationToken ct)
    {
        var statements = new List<string>();
        var joins = new List<string>();
        var terms = new List<string> { MatchingSql.Number(model.PriorWeight) };
        var tfTerms = new List<string>();
        for (var i = 0; i < matching.Fields.Length; i++)
        {
            var field = matching.Fields[i];
            var g = $"g.{MatchingSql.G(i)}";
            var tfLevel = field.TermFrequencyLevel;
            var cases = Enumerable.Range(0, field.Levels.Length + 1).Select(l => $"WHEN {l} THEN {MatchingSql.Number(model.Weight(i, l))}");
            terms.Add($"CASE {g} {string.Join(" ", cases)} ELSE 0 END");
            if (tfLevel < 0) continue;
            // Term frequency: an exact agreement on a value is as strong as the value is rare (u = the value's share).
            var tf = W("tf" + i.ToString(CultureInfo.InvariantCulture));
            statements.Add($"CREATE TABLE {tf} AS SELECT {MatchingSql.F(i)} AS v, CAST(count(*) AS DOUBLE PRECISION) / (SELECT count({MatchingSql.F(i)}) FROM {W("mr")}) AS tf FROM {W("mr")} WHERE {MatchingSql.F(i)} IS NOT NULL GROUP BY {MatchingSql.F(i)}");
            var alias = "t" + i.ToString(CultureInfo.InvariantCulture);
            // One equality (the value only where the level is exact) so both engines hash-join it.
            joins.Add($"LEFT JOIN {tf} AS {alias} ON {alias}.v = CASE WHEN {g} = {tfLevel} THEN ra.{MatchingSql.F(i)} END");
            tfTerms.Add($"CASE WHEN {alias}.tf IS NULL THEN 0 ELSE ({MatchingSql.Number(Math.Log(model.U[i][tfLevel]))} - ln({alias}.tf)) / ln(2.0) END");
        }
        var tfSum = tfTerms.Count == 0 ? "0.0" : string.Join(" + ", tfTerms);
        statements.Add($"""
            CREATE TABLE {W("msc")} AS
            SELECT a, b, comp_a, comp_b, levels, tf_adjustment, w, 1.0 / (1.0 + exp(-w * ln(2.0))) AS p FROM (
                SELECT g.a, g.b, g.comp_a, g.comp_b,
                       {LevelsText("g")} AS levels,
                       {tfSum} AS tf_adjustment,
                       {string.Join(" + ", terms)} + {tfSum} AS w
                FROM {W("mg")} AS g JOIN {W("mr")} AS ra ON ra.rid = g.a
                {string.Join("\n", joins)}
            ) AS x
            """ + sql.Analyze(W("msc")));
        await warehouse.ExecuteScriptAsync(string.Join(";\n", statements), ct).ConfigureAwait(false);
    }

    private string LevelsText(string alias) =>
        string.Join(" || ',' || ", matching.Fields.Select((_, i) => $"CAST({alias}.{MatchingSql.G(i)} AS VARCHAR)"));

    /// <summary>
    /// Joins deterministic components through pairs at or above the threshold. An edge whose two components together
    /// break a limit rule (more distinct values of a limited identifier than its limit, or more records than
    /// max_profile_size) is rejected; so are all probabilistic edges of a joined group that breaks one.
    /// </summary>
    private async Task<(long Linked, long Rejected, long Merged)> LinkAsync(CancellationToken ct)
    {
        var threshold = MatchingSql.Number(matching.Threshold);
        var values = $"""
            (SELECT DISTINCT c.comp, o.identifier, o.value, i.lim FROM {W("occ")} AS o
             JOIN {W("comp")} AS c ON c.source = o.source AND c.record_key = o.record_key
             JOIN {W("ident")} AS i ON i.identifier = o.identifier
             WHERE o.status = 'linked' AND i.lim IS NOT NULL)
            """;
        var sizes = $"(SELECT comp, count(*) AS n FROM {W("comp")} GROUP BY comp)";
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE TABLE {W("me")} AS SELECT DISTINCT least(comp_a, comp_b) AS ca, greatest(comp_a, comp_b) AS cb FROM {W("msc")} WHERE p >= {threshold} AND comp_a <> comp_b",
            $"""
            CREATE TABLE {W("mrej")} AS
            SELECT ca, cb, min(reason) AS reason FROM (
                SELECT e.ca, e.cb, 'limit ' || v.identifier || ' <= ' || CAST(v.lim AS VARCHAR) AS reason
                FROM {W("me")} AS e JOIN {values} AS v ON v.comp = e.ca OR v.comp = e.cb
                GROUP BY e.ca, e.cb, v.identifier, v.lim HAVING count(DISTINCT v.value) > v.lim
                UNION ALL
                SELECT e.ca, e.cb, 'max_profile_size' FROM {W("me")} AS e JOIN {sizes} AS sa ON sa.comp = e.ca JOIN {sizes} AS sb ON sb.comp = e.cb
                WHERE sa.n + sb.n > {rules.MaxProfileSize}
            ) AS r GROUP BY ca, cb
            """,
            $"CREATE TABLE {W("medges")} AS SELECT e.ca AS a, e.cb AS b FROM {W("me")} AS e LEFT JOIN {W("mrej")} AS r ON r.ca = e.ca AND r.cb = e.cb WHERE r.ca IS NULL"), ct).ConfigureAwait(false);
        await ConnectedComponents.RunAsync(warehouse, sql, "_idw_medges", "_idw_mcc", clock, ct).ConfigureAwait(false);
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE TABLE {W("mgroup")} AS SELECT c.source, c.record_key, c.comp, COALESCE(m.root, c.comp) AS grp FROM {W("comp")} AS c LEFT JOIN {W("mcc")} AS m ON m.node = c.comp",
            // A joined group that breaks a rule as a whole (A-B and B-C allowed, A-B-C not) keeps its components apart.
            $"""
            CREATE TABLE {W("mbad")} AS
            SELECT grp, min(reason) AS reason FROM (
                SELECT g.grp, 'limit ' || o.identifier || ' <= ' || CAST(i.lim AS VARCHAR) || ' (joined group)' AS reason
                FROM {W("occ")} AS o JOIN {W("mgroup")} AS g ON g.source = o.source AND g.record_key = o.record_key
                JOIN {W("ident")} AS i ON i.identifier = o.identifier
                WHERE o.status = 'linked' AND i.lim IS NOT NULL
                GROUP BY g.grp, o.identifier, i.lim HAVING count(DISTINCT o.value) > i.lim
                UNION ALL
                SELECT grp, 'max_profile_size (joined group)' FROM {W("mgroup")} GROUP BY grp HAVING count(*) > {rules.MaxProfileSize}
            ) AS x GROUP BY grp
            """,
            $"INSERT INTO {W("mrej")} SELECT e.a, e.b, b.reason FROM {W("medges")} AS e JOIN {W("mcc")} AS m ON m.node = e.a JOIN {W("mbad")} AS b ON b.grp = m.root",
            $"""
            CREATE TABLE {W("comp_m")} AS
            SELECT g.source, g.record_key, CASE WHEN b.grp IS NULL THEN g.grp ELSE g.comp END AS comp, g.comp AS det
            FROM {W("mgroup")} AS g LEFT JOIN {W("mbad")} AS b ON b.grp = g.grp
            """,
            $"DROP TABLE {W("comp")}",
            $"ALTER TABLE {W("comp_m")} RENAME TO {IdentitySql.Quote("_idw_comp")}" + sql.Analyze(W("comp"))), ct).ConfigureAwait(false);
        var counts = await IdentitySql.RowsAsync(warehouse, sql.Sql($"""
            SELECT (SELECT count(*) FROM {W("msc")} AS s LEFT JOIN {W("mrej")} AS r ON r.ca = least(s.comp_a, s.comp_b) AND r.cb = greatest(s.comp_a, s.comp_b)
                    WHERE s.p >= {threshold} AND s.comp_a <> s.comp_b AND r.ca IS NULL),
                   (SELECT count(*) FROM {W("msc")} AS s JOIN {W("mrej")} AS r ON r.ca = least(s.comp_a, s.comp_b) AND r.cb = greatest(s.comp_a, s.comp_b)
                    WHERE s.p >= {threshold}),
                   (SELECT count(DISTINCT det) - count(DISTINCT comp) FROM {W("comp")})
            """), ct).ConfigureAwait(false);
        var c = counts[0].Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
        return (c[0], c[1], c[2]);
    }

    /// <summary>The pairs table (every pair more likely a match than not) and the trained model, as work tables for the swap.</summary>
    private async Task OutputAsync(FellegiSunterModel model, CancellationToken ct)
    {
        var threshold = MatchingSql.Number(matching.Threshold);
        await warehouse.ExecuteScriptAsync($"""
            CREATE TABLE {W("pairs_new")} AS
            SELECT ra.source AS source_a, ra.record_key AS key_a, rb.source AS source_b, rb.record_key AS key_b,
                   s.w AS match_weight, s.p AS match_probability,
                   CASE WHEN s.p < {threshold} THEN 'below threshold' WHEN s.comp_a = s.comp_b THEN 'shared identifiers'
                        WHEN r.ca IS NOT NULL THEN 'rejected' ELSE 'linked' END AS status,
                   CASE WHEN s.p >= {threshold} AND s.comp_a <> s.comp_b THEN r.reason END AS reason,
                   s.levels, s.tf_adjustment
            FROM {W("msc")} AS s
            JOIN {W("mr")} AS ra ON ra.rid = s.a JOIN {W("mr")} AS rb ON rb.rid = s.b
            LEFT JOIN {W("mrej")} AS r ON r.ca = least(s.comp_a, s.comp_b) AND r.cb = greatest(s.comp_a, s.comp_b)
            WHERE s.w > 0
            """, ct).ConfigureAwait(false);
        await warehouse.ExecuteScriptAsync($"CREATE TABLE {W("model_new")} (position INTEGER, field VARCHAR, level INTEGER, label VARCHAR, m DOUBLE PRECISION, u DOUBLE PRECISION, weight DOUBLE PRECISION, sessions INTEGER)", ct).ConfigureAwait(false);
        var rows = new List<object?[]>
        {
            new object?[] { null, "(prior)", null, "two random records match", model.Lambda, null, model.PriorWeight, null },
            new object?[] { null, "(threshold)", null, "match probability", matching.Threshold, null, Math.Log2(matching.Threshold / (1 - matching.Threshold)), null },
        };
        for (var i = 0; i < matching.Fields.Length; i++)
        {
            var field = matching.Fields[i];
            for (var l = 0; l <= field.Levels.Length; l++)
            {
                var label = l < field.Levels.Length ? field.Levels[l].Label + (l == field.TermFrequencyLevel ? " (term frequency)" : "") : "different";
                rows.Add([i, field.Name, l, label, model.M[i][l], model.U[i][l], model.Weight(i, l), model.Sessions[i]]);
            }
        }
        await warehouse.BulkLoadAsync(sql.WorkDatabase is null ? $"{sql.Schema}._idw_model_new" : $"{sql.WorkDatabase}.main._idw_model_new",
            ["position", "field", "level", "label", "m", "u", "weight", "sessions"], rows, ct).ConfigureAwait(false);
    }
}
