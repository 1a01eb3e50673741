using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Identity;

public sealed record IdentityRunOptions
{
    /// <summary>The schema the identity tables live in.</summary>
    public string StateSchema { get; init; } = IdentityTables.DefaultSchema;

    /// <summary>
    /// Recompute only the cohorts touched by new, changed or deleted rows (docs/identity.md, "Incremental runs");
    /// everything else keeps its cohort. Without a previous run this is a full run.
    /// </summary>
    public bool Incremental { get; init; }

    /// <summary>Called after each named step; tests use it to interrupt a run and check nothing was swapped.</summary>
    public Func<string, Task>? AfterStep { get; init; }
}

/// <summary>What a run produced.</summary>
public sealed record IdentityRunResult(
    long RunId,
    long Records,
    long Cohorts,
    long LinkedValues,
    long Blocked,
    long Invalid,
    long Dropped,
    int LimitPasses,
    int Rounds,
    TimeSpan Elapsed)
{
    /// <summary>"full" or "incremental".</summary>
    public string Mode { get; init; } = "full";

    /// <summary>Records whose cohort was recomputed (all of them in a full run).</summary>
    public long Recomputed { get; init; }

    /// <summary>Cohorts that absorbed another (the oldest id kept) and cohorts split off an existing one, in this run.</summary>
    public long Merges { get; init; }

    /// <summary>What probabilistic matching did; null when the rules have no <c>matching:</c>.</summary>
    public Matching.MatchingSummary? Matching { get; init; }
}

/// <summary>
/// Deterministic identity resolution in the warehouse (docs/identity.md): extract and normalise identifiers from
/// every source, set aside blocked and invalid values, drop identifier values that break a limit (lowest priority
/// first), find connected components in SQL, and swap the new tables in atomically so an interrupted run leaves
/// the previous graph intact.
/// </summary>
public sealed class IdentityEngine(IWarehouse warehouse, IdentityRules rules, TimeProvider clock, IdentityRunOptions? options = null)
{
    private readonly IdentityRunOptions _options = options ?? new IdentityRunOptions();
    private readonly IdentitySql _sql = new(warehouse.Dialect, (options ?? new IdentityRunOptions()).StateSchema,
        warehouse.Dialect == SqlDialectName.DuckDb ? IdentitySql.DuckDbWorkDatabase : null);

    internal IdentitySql Sql => _sql;

    /// <summary>Checks the table sources against the warehouse (tables and columns exist), as diagnostics.</summary>
    public async Task<ImmutableArray<Diagnostic>> CheckAsync(CancellationToken ct = default)
    {
        var bag = new DiagnosticBag();
        WarehouseCatalog? catalog = null;
        foreach (var source in rules.Sources)
        {
            // Described as the run will query it, so the search path and attached catalogs resolve the same way.
            ImmutableArray<WarehouseColumn> described;
            try
            {
                described = await warehouse.DescribeQueryAsync($"SELECT * FROM {IdentitySql.Relation(source.Table)} AS src", ct).ConfigureAwait(false);
            }
            catch (WarehouseException)
            {
                catalog ??= await warehouse.IntrospectAsync(null, ct).ConfigureAwait(false);
                bag.Error(DiagnosticCodes.MissingTable, $"Identity source '{source.Name}' reads '{source.Table}', which is not in the warehouse.", source.Location,
                    NameSuggester.Nearest(source.Table.Split('.')[^1], catalog.Tables.Select(t => t.Name)));
                continue;
            }
            var names = described.Select(c => c.Name).ToList();
            var used = source.Columns.Select(c => (Name: c.Column, c.Location)).Append((Name: source.Key, source.Location));
            if (source.Timestamp is not null) used = used.Append((Name: source.Timestamp, source.Location));
            used = used.Concat(rules.Profile.SelectMany(a => a.From.Where(f => f.Source == source.Name).Select(f => (Name: f.Column, a.Location))));
            if (rules.Matching is { } m)
                used = used.Concat(m.Fields.Where(f => f.ColumnOf(source.Name) is not null).Select(f => (Name: f.ColumnOf(source.Name)!, f.Location)));
            foreach (var column in used)
            {
                if (!names.Contains(column.Name))
                    bag.Error(DiagnosticCodes.MissingColumn, $"Identity source '{source.Name}' uses column '{column.Name}', but '{source.Table}' has no such column in the warehouse.", column.Location,
                        NameSuggester.Nearest(column.Name, names));
            }
        }
        foreach (var phone in rules.Identifiers.Where(i => i.Type == IdentifierType.Phone))
        {
            if (!Normalization.IsKnownRegion(phone.DefaultRegion ?? "US"))
                bag.Error(DiagnosticCodes.InvalidValue, $"Identifier '{phone.Name}' has default_region '{phone.DefaultRegion}', which libphonenumber does not know.", phone.Location);
        }
        return bag.ToImmutable();
    }

    public async Task<IdentityRunResult> RunAsync(CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        var diagnostics = await CheckAsync(ct).ConfigureAwait(false);
        if (diagnostics.Any(d => d.IsError)) throw new CohortDiagnosticsException(diagnostics);

        await EnsureStateAsync(ct).ConfigureAwait(false);
        var runId = await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT COALESCE(max(run_id), 0) + 1 FROM {_sql.T(IdentityTables.Runs)}"), ct).ConfigureAwait(false);
        var startedAt = clock.GetUtcNow().UtcDateTime;

        var previous = await HasPreviousAsync(ct).ConfigureAwait(false);
        // Probabilistic matching scores every candidate pair again, so with it an incremental run is a full run.
        var incremental = _options.Incremental && previous && rules.Matching is null;
        await PrepareAsync(ct).ConfigureAwait(false);
        await Step("extract", ct).ConfigureAwait(false);
        await LocalLimitsAsync(ct).ConfigureAwait(false);
        await Step("limits", ct).ConfigureAwait(false);
        var recomputed = await AffectedAsync(incremental, previous, ct).ConfigureAwait(false);

        var passes = 0;
        var rounds = 0;
        while (true)
        {
            passes++;
            rounds += (await ComponentsAsync(ct).ConfigureAwait(false)).Rounds;
            if (passes > rules.Identifiers.Length + 1 || !await ResolveViolationsAsync(ct).ConfigureAwait(false)) break;
        }
        await Step("graph", ct).ConfigureAwait(false);
        Matching.MatchingSummary? matching = null;
        if (rules.Matching is { } matchingRules)
        {
            matching = await new Matching.ProbabilisticMatcher(warehouse, rules, matchingRules, _sql, clock).RunAsync(ct).ConfigureAwait(false);
            await Step("matching", ct).ConfigureAwait(false);
        }
        var merges = await BuildOutputAsync(runId, previous, ct).ConfigureAwait(false);
        await Step("output", ct).ConfigureAwait(false);

        var counts = await IdentitySql.RowsAsync(warehouse, _sql.Sql($"""
            SELECT (SELECT count(*) FROM {W("records_new")}), (SELECT count(DISTINCT cohort_id) FROM {W("records_new")}),
                   (SELECT count(*) FROM {W("identifiers_new")}),
                   (SELECT count(*) FROM {W("occurrences_new")} WHERE status = 'blocked'), (SELECT count(*) FROM {W("occurrences_new")} WHERE status = 'invalid'),
                   (SELECT count(*) FROM {W("occurrences_new")} WHERE status = 'dropped')
            """), ct).ConfigureAwait(false);
        var c = counts[0].Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
        var elapsed = clock.GetElapsedTime(started);
        var mode = incremental ? "incremental" : "full";
        await SwapAsync(runId, mode, startedAt, c[0], c[1], rounds, elapsed, ct).ConfigureAwait(false);
        await CleanupAsync(ct).ConfigureAwait(false);
        return new IdentityRunResult(runId, c[0], c[1], c[2], c[3], c[4], c[5], passes, rounds, clock.GetElapsedTime(started))
        {
            Mode = mode,
            Recomputed = recomputed,
            Merges = merges,
            Matching = matching,
        };
    }

    private Task Step(string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return _options.AfterStep?.Invoke(name) ?? Task.CompletedTask;
    }

    private string BulkName(string table) => _sql.WorkDatabase is null ? $"{_sql.Schema}.{table}" : $"{_sql.WorkDatabase}.main.{table}";

    private string W(string name) => _sql.Work("_idw_" + name);

    internal async Task EnsureStateAsync(CancellationToken ct)
    {
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE SCHEMA IF NOT EXISTS {IdentitySql.Quote(_sql.Schema)}",
            _sql.AttachWork(),
            $"CREATE TABLE IF NOT EXISTS {_sql.T(IdentityTables.Runs)} (run_id BIGINT, mode VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, records BIGINT, cohorts BIGINT, rounds BIGINT, elapsed_ms BIGINT)",
            $"CREATE TABLE IF NOT EXISTS {_sql.T(IdentityTables.Merges)} (run_id BIGINT, action VARCHAR, cohort_id VARCHAR, other_cohort_id VARCHAR, identifier VARCHAR, value VARCHAR, records BIGINT, rule VARCHAR)"), ct).ConfigureAwait(false);
    }

    /// <summary>True when a previous run's tables exist (and so cohort ids must stay stable).</summary>
    private async Task<bool> HasPreviousAsync(CancellationToken ct)
    {
        foreach (var table in new[] { IdentityTables.Records, IdentityTables.Occurrences, IdentityTables.Cohorts })
        {
            try
            {
                await warehouse.DescribeQueryAsync($"SELECT * FROM {_sql.T(table)}", ct).ConfigureAwait(false);
            }
            catch (WarehouseException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Which records to recompute. A full run recomputes every record. An incremental run compares every record's
    /// identifiers (after blocking and the value-level limit rules) with the previous run's: the cohorts of records
    /// that are new, changed or gone, and of records sharing a value whose status changed, are recomputed; every
    /// other cohort is kept as it is. The work tables rec and occ are cut down to the recomputed records.
    /// </summary>
    private async Task<long> AffectedAsync(bool incremental, bool previous, CancellationToken ct)
    {
        var prevRecords = _sql.T(IdentityTables.Records);
        var prevOcc = _sql.T(IdentityTables.Occurrences);
        const string Cols = "source, record_key, identifier, column_name, value, local_status";
        var statements = new List<string> { $"DROP TABLE IF EXISTS {W("aff_cohorts")}" };
        if (!previous) statements.Add($"CREATE TABLE {W("aff_cohorts")} (cohort_id VARCHAR)");
        else if (!incremental) statements.Add($"CREATE TABLE {W("aff_cohorts")} AS SELECT DISTINCT cohort_id FROM {prevRecords}");
        else
        {
            statements.Add($"""
                CREATE TABLE {W("diff")} AS
                (SELECT {Cols} FROM {W("occ")} EXCEPT SELECT {Cols} FROM {prevOcc})
                UNION ALL
                (SELECT {Cols} FROM {prevOcc} EXCEPT SELECT {Cols} FROM {W("occ")})
                """);
            statements.Add($"""
                CREATE TABLE {W("changed")} AS
                SELECT DISTINCT source, record_key FROM {W("diff")}
                UNION SELECT source, record_key FROM (SELECT source, record_key FROM {W("rec")} EXCEPT SELECT source, record_key FROM {prevRecords}) AS added
                UNION SELECT source, record_key FROM (SELECT source, record_key FROM {prevRecords} EXCEPT SELECT source, record_key FROM {W("rec")}) AS gone
                """);
            statements.Add($"CREATE TABLE {W("touched")} AS SELECT DISTINCT identifier, value FROM {W("diff")} WHERE value IS NOT NULL AND local_status NOT IN ('blocked', 'invalid')");
            statements.Add($"""
                CREATE TABLE {W("aff_cohorts")} AS
                SELECT r.cohort_id FROM {prevRecords} AS r JOIN {W("changed")} AS c ON c.source = r.source AND c.record_key = r.record_key
                UNION
                SELECT o.cohort_id FROM {prevOcc} AS o JOIN {W("touched")} AS t ON t.identifier = o.identifier AND t.value = o.value
                """);
        }
        await warehouse.ExecuteScriptAsync(string.Join(";\n", statements), ct).ConfigureAwait(false);
        statements.Clear();
        if (incremental)
        {
            // A value dropped by a component-level limit still links its records locally: recomputing one of the
            // cohorts it touches may lift the drop, so every cohort carrying it is recomputed too, until closed.
            var count = await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT count(*) FROM {W("aff_cohorts")}"), ct).ConfigureAwait(false);
            while (true)
            {
                await warehouse.ExecuteScriptAsync(string.Join(";\n",
                    $"DROP TABLE IF EXISTS {W("aff_next")}",
                    $"""
                    CREATE TABLE {W("aff_next")} AS
                    SELECT cohort_id FROM {W("aff_cohorts")}
                    UNION
                    SELECT o2.cohort_id
                    FROM {prevOcc} AS o1
                    JOIN {W("aff_cohorts")} AS a ON a.cohort_id = o1.cohort_id
                    JOIN {prevOcc} AS o2 ON o2.identifier = o1.identifier AND o2.value = o1.value
                    WHERE o1.status = 'dropped' AND o1.local_status = 'linked' AND o2.local_status = 'linked'
                    """,
                    $"DROP TABLE {W("aff_cohorts")}",
                    $"ALTER TABLE {W("aff_next")} RENAME TO {IdentitySql.Quote("_idw_aff_cohorts")}"), ct).ConfigureAwait(false);
                var grown = await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT count(*) FROM {W("aff_cohorts")}"), ct).ConfigureAwait(false);
                if (grown == count) break;
                count = grown;
            }
        }
        // Kept: previous records of cohorts nobody touched. Recomputed: every current record that is not kept.
        statements.Add(previous
            ? $"CREATE TABLE {W("kept")} AS SELECT r.cohort_id, r.source, r.record_key FROM {prevRecords} AS r WHERE r.cohort_id NOT IN (SELECT cohort_id FROM {W("aff_cohorts")})"
            : $"CREATE TABLE {W("kept")} (cohort_id VARCHAR, source VARCHAR, record_key VARCHAR)");
        statements.Add($"CREATE TABLE {W("rec_a")} AS SELECT r.source, r.record_key FROM {W("rec")} AS r LEFT JOIN {W("kept")} AS k ON k.source = r.source AND k.record_key = r.record_key WHERE k.source IS NULL");
        statements.Add($"CREATE TABLE {W("occ_all")} AS SELECT * FROM {W("occ")}");
        statements.Add($"CREATE TABLE {W("occ_a")} AS SELECT o.* FROM {W("occ")} AS o JOIN {W("rec_a")} AS r ON r.source = o.source AND r.record_key = o.record_key");
        statements.Add($"DROP TABLE {W("rec")}");
        statements.Add($"ALTER TABLE {W("rec_a")} RENAME TO {IdentitySql.Quote("_idw_rec")}");
        statements.Add($"DROP TABLE {W("occ")}");
        statements.Add($"ALTER TABLE {W("occ_a")} RENAME TO {IdentitySql.Quote("_idw_occ")}" + _sql.Analyze(W("rec")) + _sql.Analyze(W("occ")));
        await warehouse.ExecuteScriptAsync(string.Join(";\n", statements), ct).ConfigureAwait(false);
        return await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT count(*) FROM {W("rec")}"), ct).ConfigureAwait(false);
    }

    private async Task CleanupAsync(CancellationToken ct)
    {
        string[] work = ["ident", "blocked_raw", "patterns", "bnorm", "rec", "occ0", "occ", "occ_next", "drop", "lv", "rn", "edges", "cc", "comp", "viol", "records_new", "identifiers_new",
            "occurrences_new", "cohort", "cohorts_new", "aff_cohorts", "diff", "changed", "touched", "kept", "rec_a", "occ_a", "occ_all", "cand", "own", "keep", "moves", "cohort_id", "aff_next", "profiles_new", "detid", .. Matching.ProbabilisticMatcher.WorkTables(rules.Matching?.Fields.Length ?? 0)];
        await warehouse.ExecuteScriptAsync(string.Join(";\n", work.Select(w => $"DROP TABLE IF EXISTS {W(w)}")), ct).ConfigureAwait(false);
    }

    /// <summary>Rule tables, the records of every source and their normalised identifiers with a status each.</summary>
    private async Task PrepareAsync(CancellationToken ct)
    {
        await CleanupAsync(ct).ConfigureAwait(false);
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE TABLE {W("ident")} (identifier VARCHAR, type VARCHAR, priority BIGINT, lim BIGINT)",
            $"CREATE TABLE {W("blocked_raw")} (identifier VARCHAR, value VARCHAR)",
            $"CREATE TABLE {W("patterns")} (identifier VARCHAR, pattern VARCHAR)"), ct).ConfigureAwait(false);
        await warehouse.BulkLoadAsync(BulkName("_idw_ident"), ["identifier", "type", "priority", "lim"],
            rules.Identifiers.Select(i => new object?[] { i.Name, i.TypeName, (long)rules.PriorityOf(i.Name), i.Limit is { } l ? (long)l : null }).ToList(), ct).ConfigureAwait(false);
        var blocked = rules.Blocked.Select(v => new object?[] { "*", v })
            .Concat(rules.Identifiers.SelectMany(i => i.Blocked.Select(v => new object?[] { i.Name, v }))).ToList();
        if (blocked.Count > 0) await warehouse.BulkLoadAsync(BulkName("_idw_blocked_raw"), ["identifier", "value"], blocked, ct).ConfigureAwait(false);
        var patterns = rules.BlockedPatterns.Select(v => new object?[] { "*", v })
            .Concat(rules.Identifiers.SelectMany(i => i.BlockedPatterns.Select(v => new object?[] { i.Name, v }))).ToList();
        if (patterns.Count > 0) await warehouse.BulkLoadAsync(BulkName("_idw_patterns"), ["identifier", "pattern"], patterns, ct).ConfigureAwait(false);

        var records = rules.Sources.Select(s =>
            $"SELECT {IdentitySql.Literal(s.Name)} AS source, CAST({IdentitySql.Quote(s.Key)} AS VARCHAR) AS record_key FROM {IdentitySql.Relation(s.Table)} AS src WHERE {IdentitySql.Quote(s.Key)} IS NOT NULL");
        var occurrences = rules.Sources.SelectMany(s => s.Columns.Select(c =>
        {
            var identifier = rules.FindIdentifier(c.Identifier)!;
            var raw = $"CAST({IdentitySql.Quote(c.Column)} AS VARCHAR)";
            return $"SELECT {IdentitySql.Literal(s.Name)} AS source, CAST({IdentitySql.Quote(s.Key)} AS VARCHAR) AS record_key, {IdentitySql.Literal(identifier.Name)} AS identifier, " +
                   $"{IdentitySql.Literal(c.Column)} AS column_name, {raw} AS raw, {Normalization.Expression(identifier, raw)} AS value " +
                   $"FROM {IdentitySql.Relation(s.Table)} AS src WHERE {IdentitySql.Quote(c.Column)} IS NOT NULL AND {IdentitySql.Quote(s.Key)} IS NOT NULL";
        }));
        var blockedNorm = rules.Identifiers.Select(i =>
            $"SELECT {IdentitySql.Literal(i.Name)} AS identifier, {Normalization.Expression(i, "value")} AS value FROM {W("blocked_raw")} WHERE identifier IN ({IdentitySql.Literal(i.Name)}, '*') " +
            $"UNION SELECT {IdentitySql.Literal(i.Name)}, lower(trim(value)) FROM {W("blocked_raw")} WHERE identifier IN ({IdentitySql.Literal(i.Name)}, '*')");
        var patternClause = patterns.Count == 0 ? "FALSE" :
            $"EXISTS (SELECT 1 FROM {W("patterns")} AS p WHERE p.identifier IN (o.identifier, '*') AND ({_sql.RegexMatch("o.value", "p.pattern")} OR {_sql.RegexMatch("lower(trim(o.raw))", "p.pattern")}))";
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE TABLE {W("rec")} AS SELECT DISTINCT source, record_key FROM ({string.Join(" UNION ALL ", records)}) AS r",
            $"CREATE TABLE {W("occ0")} AS {string.Join(" UNION ALL ", occurrences)}",
            $"CREATE TABLE {W("bnorm")} AS SELECT DISTINCT identifier, value FROM ({string.Join(" UNION ", blockedNorm)}) AS b WHERE value IS NOT NULL",
            $"""
            CREATE TABLE {W("occ")} AS
            SELECT o.source, o.record_key, o.identifier, o.column_name, o.raw, o.value, CAST(NULL AS VARCHAR) AS local_status,
                   CASE WHEN o.value IS NULL THEN 'invalid' WHEN b1.value IS NOT NULL OR b2.value IS NOT NULL OR {patternClause} THEN 'blocked' ELSE 'linked' END AS status,
                   CASE WHEN o.value IS NULL THEN 'not a valid ' || i.type WHEN b1.value IS NOT NULL OR b2.value IS NOT NULL THEN 'blocked value' WHEN {patternClause} THEN 'blocked pattern' END AS reason
            FROM {W("occ0")} AS o
            JOIN {W("ident")} AS i ON i.identifier = o.identifier
            LEFT JOIN {W("bnorm")} AS b1 ON b1.identifier = o.identifier AND b1.value = o.value
            LEFT JOIN {W("bnorm")} AS b2 ON b2.identifier = o.identifier AND b2.value = lower(trim(o.raw))
            """ + _sql.Analyze(W("occ")) + _sql.Analyze(W("rec"))), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Values that break a rule on their own are dropped before the graph is built: a value shared by more records
    /// than <c>max_profile_size</c> (a junk hub), and a value whose records carry more distinct values of a
    /// higher-priority limited identifier than its limit (a shared device seen with two user ids).
    /// </summary>
    private async Task LocalLimitsAsync(CancellationToken ct)
    {
        var drops = new List<string>
        {
            $"SELECT identifier, value, 'max_profile_size' AS reason FROM (SELECT DISTINCT identifier, value, source, record_key FROM {W("occ")} WHERE status = 'linked') AS d GROUP BY identifier, value HAVING count(*) > {rules.MaxProfileSize}",
        };
        foreach (var limited in rules.Identifiers.Where(i => i.Limit is not null))
        {
            var lower = rules.Identifiers.Where(i => rules.PriorityOf(i.Name) > rules.PriorityOf(limited.Name)).Select(i => IdentitySql.Literal(i.Name)).ToList();
            if (lower.Count == 0) continue;
            drops.Add($"""
                SELECT v.identifier, v.value, {IdentitySql.Literal("limit " + limited.Name + " <= " + limited.Limit)} AS reason
                FROM (SELECT DISTINCT identifier, value, source, record_key FROM {W("occ")} WHERE status = 'linked' AND identifier IN ({string.Join(", ", lower)})) AS v
                JOIN (SELECT DISTINCT value, source, record_key FROM {W("occ")} WHERE status = 'linked' AND identifier = {IdentitySql.Literal(limited.Name)}) AS s
                  ON s.source = v.source AND s.record_key = v.record_key
                GROUP BY v.identifier, v.value
                HAVING count(DISTINCT s.value) > {limited.Limit}
                """);
        }
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"CREATE TABLE {W("drop")} AS SELECT identifier, value, min(reason) AS reason FROM ({string.Join(" UNION ALL ", drops)}) AS d GROUP BY identifier, value",
            ApplyDrops(),
            // What each value is before component-level limits: what incremental runs compare.
            $"UPDATE {W("occ")} SET local_status = status"), ct).ConfigureAwait(false);
    }

    private string ApplyDrops() => string.Join(";\n",
        $"CREATE TABLE {W("occ_next")} AS SELECT o.source, o.record_key, o.identifier, o.column_name, o.raw, o.value, o.local_status, " +
        $"CASE WHEN d.reason IS NOT NULL AND o.status = 'linked' THEN 'dropped' ELSE o.status END AS status, " +
        $"CASE WHEN d.reason IS NOT NULL AND o.status = 'linked' THEN d.reason ELSE o.reason END AS reason " +
        $"FROM {W("occ")} AS o LEFT JOIN {W("drop")} AS d ON d.identifier = o.identifier AND d.value = o.value",
        $"DROP TABLE {W("occ")}",
        $"ALTER TABLE {W("occ_next")} RENAME TO {IdentitySql.Quote("_idw_occ")}",
        $"DROP TABLE {W("drop")}" + _sql.Analyze(W("occ")));

    /// <summary>Records and linking values (shared by two or more records) as numbered nodes; components of their edges.</summary>
    private async Task<ComponentsRun> ComponentsAsync(CancellationToken ct)
    {
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"DROP TABLE IF EXISTS {W("rn")}", $"DROP TABLE IF EXISTS {W("lv")}", $"DROP TABLE IF EXISTS {W("edges")}",
            $"CREATE TABLE {W("rn")} AS SELECT source, record_key, row_number() OVER (ORDER BY source, record_key) AS n FROM {W("rec")}",
            $"""
            CREATE TABLE {W("lv")} AS
            SELECT identifier, value, (SELECT count(*) FROM {W("rec")}) + row_number() OVER (ORDER BY identifier, value) AS n
            FROM (SELECT DISTINCT identifier, value, source, record_key FROM {W("occ")} WHERE status = 'linked') AS d
            GROUP BY identifier, value HAVING count(*) >= 2
            """,
            $"""
            CREATE TABLE {W("edges")} AS
            SELECT DISTINCT r.n AS a, v.n AS b
            FROM {W("occ")} AS o
            JOIN {W("rn")} AS r ON r.source = o.source AND r.record_key = o.record_key
            JOIN {W("lv")} AS v ON v.identifier = o.identifier AND v.value = o.value
            WHERE o.status = 'linked'
            """ + _sql.Analyze(W("rn")) + _sql.Analyze(W("lv")) + _sql.Analyze(W("edges"))), ct).ConfigureAwait(false);
        var run = await ConnectedComponents.RunAsync(warehouse, _sql, "_idw_edges", "_idw_cc", clock, ct).ConfigureAwait(false);
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"DROP TABLE IF EXISTS {W("comp")}",
            $"CREATE TABLE {W("comp")} AS SELECT r.source, r.record_key, COALESCE(c.root, r.n) AS comp FROM {W("rn")} AS r LEFT JOIN {W("cc")} AS c ON c.node = r.n" + _sql.Analyze(W("comp"))), ct).ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// Components that still break a limit (too many distinct values of a limited identifier, or more records than
    /// <c>max_profile_size</c>) lose the linking values of their lowest-priority identifier below the broken rule;
    /// returns false when nothing was dropped (the graph is final).
    /// </summary>
    private async Task<bool> ResolveViolationsAsync(CancellationToken ct)
    {
        var violations = new List<string>
        {
            $"SELECT comp, 0 AS priority, 'max_profile_size' AS reason FROM {W("comp")} GROUP BY comp HAVING count(*) > {rules.MaxProfileSize}",
        };
        foreach (var limited in rules.Identifiers.Where(i => i.Limit is not null))
        {
            violations.Add($"""
                SELECT c.comp, {rules.PriorityOf(limited.Name)} AS priority, {IdentitySql.Literal("limit " + limited.Name + " <= " + limited.Limit)} AS reason
                FROM {W("occ")} AS o JOIN {W("comp")} AS c ON c.source = o.source AND c.record_key = o.record_key
                WHERE o.status = 'linked' AND o.identifier = {IdentitySql.Literal(limited.Name)}
                GROUP BY c.comp HAVING count(DISTINCT o.value) > {limited.Limit}
                """);
        }
        // Per violating component: the broken rule with the highest priority, then the lowest-priority identifier
        // below it that links records in the component; its linking values in the component are dropped.
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"DROP TABLE IF EXISTS {W("viol")}",
            $"CREATE TABLE {W("viol")} AS SELECT comp, min(priority) AS priority, min(reason) AS reason FROM ({string.Join(" UNION ALL ", violations)}) AS v GROUP BY comp",
            $"""
            CREATE TABLE {W("drop")} AS
            WITH linking AS (
                SELECT DISTINCT c.comp, o.identifier, o.value, i.priority
                FROM {W("occ")} AS o
                JOIN {W("lv")} AS lv ON lv.identifier = o.identifier AND lv.value = o.value
                JOIN {W("comp")} AS c ON c.source = o.source AND c.record_key = o.record_key
                JOIN {W("ident")} AS i ON i.identifier = o.identifier
                WHERE o.status = 'linked'
            ), target AS (
                SELECT v.comp, v.reason, max(l.priority) AS priority
                FROM {W("viol")} AS v JOIN linking AS l ON l.comp = v.comp AND l.priority > v.priority
                GROUP BY v.comp, v.reason
            )
            SELECT l.identifier, l.value, min(t.reason) AS reason
            FROM target AS t JOIN linking AS l ON l.comp = t.comp AND l.priority = t.priority
            GROUP BY l.identifier, l.value
            """), ct).ConfigureAwait(false);
        var drops = await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT count(*) FROM {W("drop")}"), ct).ConfigureAwait(false);
        if (drops == 0)
        {
            await warehouse.ExecuteScriptAsync($"DROP TABLE {W("drop")}", ct).ConfigureAwait(false);
            return false;
        }
        await warehouse.ExecuteScriptAsync(ApplyDrops(), ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Cohort ids, then the new tables. A component whose records had cohorts before keeps the oldest of those ids
    /// (each old id goes to the component holding most of its records); the others it absorbed are logged as
    /// merges, and components split off an old cohort as splits. A component with no old id gets one from its first
    /// record by hash, so the same partition gives the same ids on every engine. Returns the merges and splits logged.
    /// </summary>
    private async Task<long> BuildOutputAsync(long runId, bool previous, CancellationToken ct)
    {
        var id = runId.ToString(CultureInfo.InvariantCulture);
        var prevRecords = _sql.T(IdentityTables.Records);
        var prevCohorts = _sql.T(IdentityTables.Cohorts);
        var statements = new List<string>
        {
            $"CREATE TABLE {W("cohort")} AS SELECT comp, 'c_' || substr(min(md5(source || ':' || record_key)), 1, 16) AS fresh FROM {W("comp")} GROUP BY comp",
        };
        if (previous)
        {
            statements.Add($"""
                CREATE TABLE {W("cand")} AS
                SELECT c.comp, r.cohort_id AS old_id, count(*) AS n
                FROM {W("comp")} AS c JOIN {prevRecords} AS r ON r.source = c.source AND r.record_key = c.record_key
                GROUP BY c.comp, r.cohort_id
                """);
            statements.Add($"""
                CREATE TABLE {W("own")} AS
                SELECT old_id, comp FROM (
                    SELECT c.old_id, c.comp,
                           row_number() OVER (PARTITION BY c.old_id ORDER BY c.n DESC, CASE WHEN c.old_id = o.oldest THEN 0 ELSE 1 END, c.comp) AS rn
                    FROM {W("cand")} AS c
                    JOIN (SELECT comp, old_id AS oldest FROM (
                            SELECT c2.comp, c2.old_id, row_number() OVER (PARTITION BY c2.comp ORDER BY k.first_run, c2.old_id) AS r2
                            FROM {W("cand")} AS c2 JOIN {prevCohorts} AS k ON k.cohort_id = c2.old_id) AS y WHERE r2 = 1) AS o ON o.comp = c.comp
                ) AS x WHERE rn = 1
                """);
            statements.Add($"""
                CREATE TABLE {W("keep")} AS
                SELECT comp, old_id FROM (
                    SELECT o.comp, o.old_id, row_number() OVER (PARTITION BY o.comp ORDER BY k.first_run, o.old_id) AS rn
                    FROM {W("own")} AS o JOIN {prevCohorts} AS k ON k.cohort_id = o.old_id
                ) AS x WHERE rn = 1
                """);
        }
        else
        {
            statements.Add($"CREATE TABLE {W("cand")} (comp BIGINT, old_id VARCHAR, n BIGINT)");
            statements.Add($"CREATE TABLE {W("own")} (old_id VARCHAR, comp BIGINT)");
            statements.Add($"CREATE TABLE {W("keep")} (comp BIGINT, old_id VARCHAR)");
        }
        // Without probabilistic links a record's cohort would be its deterministic component, labelled as a fresh id is.
        if (rules.Matching is not null)
            statements.Add($"CREATE TABLE {W("detid")} AS SELECT det, 'c_' || substr(min(md5(source || ':' || record_key)), 1, 16) AS gid FROM {W("comp")} GROUP BY det");
        statements.Add($"""
            CREATE TABLE {W("cohort_id")} AS
            SELECT c.comp,
                   CASE WHEN k.old_id IS NOT NULL THEN k.old_id
                        WHEN c.fresh IN (SELECT old_id FROM {W("keep")}) OR c.fresh IN (SELECT cohort_id FROM {W("kept")}) THEN c.fresh || '_' || '{id}'
                        ELSE c.fresh END AS cohort_id,
                   k.old_id IS NOT NULL AS reused
            FROM {W("cohort")} AS c LEFT JOIN {W("keep")} AS k ON k.comp = c.comp
            """);
        statements.Add($"""
            CREATE TABLE {W("moves")} AS
            SELECT 'merge' AS action, n.cohort_id, o.old_id AS other_cohort_id FROM {W("own")} AS o JOIN {W("cohort_id")} AS n ON n.comp = o.comp WHERE n.cohort_id <> o.old_id
            UNION ALL
            SELECT 'split', n.cohort_id, c.old_id FROM {W("cand")} AS c JOIN {W("own")} AS o ON o.old_id = c.old_id AND o.comp <> c.comp JOIN {W("cohort_id")} AS n ON n.comp = c.comp
            """);
        statements.Add($"""
            CREATE TABLE {W("records_new")} AS
            SELECT k.cohort_id, c.source, c.record_key, {(rules.Matching is null ? "k.cohort_id" : "d.gid")} AS deterministic_group
            FROM {W("comp")} AS c JOIN {W("cohort_id")} AS k ON k.comp = c.comp
            {(rules.Matching is null ? "" : $"JOIN {W("detid")} AS d ON d.det = c.det")}
            UNION ALL
            SELECT cohort_id, source, record_key, cohort_id FROM {W("kept")}
            """);
        statements.Add($"""
            CREATE TABLE {W("occurrences_new")} AS
            SELECT o.source, o.record_key, o.identifier, o.column_name, o.value, o.status, o.reason, o.local_status, r.cohort_id
            FROM {W("occ")} AS o JOIN {W("records_new")} AS r ON r.source = o.source AND r.record_key = o.record_key
            """ + (previous ? $"""

            UNION ALL
            SELECT o.source, o.record_key, o.identifier, o.column_name, o.value, o.status, o.reason, o.local_status, o.cohort_id
            FROM {_sql.T(IdentityTables.Occurrences)} AS o JOIN {W("kept")} AS k ON k.source = o.source AND k.record_key = o.record_key
            """ : ""));
        statements.Add($"""
            CREATE TABLE {W("identifiers_new")} AS
            SELECT o.cohort_id, o.identifier, i.type, o.value, count(DISTINCT o.source || ':' || o.record_key) AS records
            FROM {W("occurrences_new")} AS o JOIN {W("ident")} AS i ON i.identifier = o.identifier
            WHERE o.status = 'linked'
            GROUP BY o.cohort_id, o.identifier, i.type, o.value
            """);
        statements.Add(previous
            ? $"""
              CREATE TABLE {W("cohorts_new")} AS
              SELECT n.cohort_id, COALESCE(min(k.first_run), {id}) AS first_run
              FROM (SELECT DISTINCT cohort_id FROM {W("records_new")}) AS n LEFT JOIN {prevCohorts} AS k ON k.cohort_id = n.cohort_id
              GROUP BY n.cohort_id
              """
            : $"CREATE TABLE {W("cohorts_new")} AS SELECT DISTINCT cohort_id, CAST({id} AS BIGINT) AS first_run FROM {W("records_new")}");
        if (!rules.Profile.IsEmpty) statements.Add(ProfileSql());
        await warehouse.ExecuteScriptAsync(string.Join(";\n", statements), ct).ConfigureAwait(false);
        return await IdentitySql.LongAsync(warehouse, _sql.Sql($"SELECT count(*) FROM {W("moves")}"), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The golden record: one row per cohort with each attribute chosen by its survivorship rule among the values
    /// of the cohort's records (as text), plus how many records and sources the cohort has.
    /// </summary>
    private string ProfileSql()
    {
        var records = W("records_new");
        var picks = new List<string>();
        foreach (var attribute in rules.Profile)
        {
            var values = attribute.From.Select((f, rank) =>
            {
                var source = rules.FindSource(f.Source)!;
                var ts = source.Timestamp is null ? "CAST(NULL AS TIMESTAMP)" : $"CAST(src.{IdentitySql.Quote(source.Timestamp)} AS TIMESTAMP)";
                return $"SELECT r.cohort_id, CAST(src.{IdentitySql.Quote(f.Column)} AS VARCHAR) AS value, {rank} AS rank, {ts} AS ts " +
                       $"FROM {IdentitySql.Relation(source.Table)} AS src JOIN {records} AS r ON r.source = {IdentitySql.Literal(source.Name)} AND r.record_key = CAST(src.{IdentitySql.Quote(source.Key)} AS VARCHAR) " +
                       $"WHERE src.{IdentitySql.Quote(f.Column)} IS NOT NULL AND trim(CAST(src.{IdentitySql.Quote(f.Column)} AS VARCHAR)) <> ''";
            });
            var all = string.Join(" UNION ALL ", values);
            var ranked = attribute.Rule switch
            {
                Survivorship.FirstNonNull => $"SELECT cohort_id, value, row_number() OVER (PARTITION BY cohort_id ORDER BY rank, ts DESC NULLS LAST, value) AS pick FROM ({all}) AS v",
                Survivorship.MostRecent => $"SELECT cohort_id, value, row_number() OVER (PARTITION BY cohort_id ORDER BY ts DESC NULLS LAST, rank, value) AS pick FROM ({all}) AS v",
                _ => $"SELECT cohort_id, value, row_number() OVER (PARTITION BY cohort_id ORDER BY count(*) DESC, max(ts) DESC NULLS LAST, min(rank), value) AS pick FROM ({all}) AS v GROUP BY cohort_id, value",
            };
            picks.Add($"LEFT JOIN (SELECT cohort_id, value FROM ({ranked}) AS x WHERE pick = 1) AS {IdentitySql.Quote("a_" + attribute.Name)} ON {IdentitySql.Quote("a_" + attribute.Name)}.cohort_id = c.cohort_id");
        }
        var columns = string.Join(", ", rules.Profile.Select(a => $"{IdentitySql.Quote("a_" + a.Name)}.value AS {IdentitySql.Quote(a.Name)}"));
        return $"""
            CREATE TABLE {W("profiles_new")} AS
            SELECT c.cohort_id, c.records, c.sources, {columns}
            FROM (SELECT cohort_id, count(*) AS records, count(DISTINCT source) AS sources FROM {records} GROUP BY cohort_id) AS c
            {string.Join("\n", picks)}
            """;
    }

    /// <summary>Replaces the identity tables with the new ones and appends the run and its merge log, in one transaction.</summary>
    private async Task SwapAsync(long runId, string mode, DateTime startedAt, long records, long cohorts, int rounds, TimeSpan elapsed, CancellationToken ct)
    {
        var finishedAt = clock.GetUtcNow().UtcDateTime;
        var statements = new List<string>();
        foreach (var (table, work) in new[] { (IdentityTables.Records, "records_new"), (IdentityTables.Identifiers, "identifiers_new"), (IdentityTables.Occurrences, "occurrences_new"), (IdentityTables.Cohorts, "cohorts_new"), (IdentityTables.Profiles, "profiles_new"),
                     (IdentityTables.Pairs, "pairs_new"), (IdentityTables.MatchModel, "model_new") })
        {
            if ((table == IdentityTables.Profiles && rules.Profile.IsEmpty) || (table is IdentityTables.Pairs or IdentityTables.MatchModel && rules.Matching is null))
            {
                statements.Add($"DROP TABLE IF EXISTS {_sql.T(table)}");
                continue;
            }
            var staged = W(work);
            if (_sql.WorkDatabase is not null)
            {
                // The work database is another catalog: copy into the state schema first (outside the swap).
                staged = _sql.T(table + "__new");
                await warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS {staged};\nCREATE TABLE {staged} AS SELECT * FROM {W(work)}", ct).ConfigureAwait(false);
            }
            statements.Add($"DROP TABLE IF EXISTS {_sql.T(table)}");
            statements.Add($"ALTER TABLE {staged} RENAME TO {IdentitySql.Quote(table)}");
        }
        var id = runId.ToString(CultureInfo.InvariantCulture);
        statements.Add($"""
            INSERT INTO {_sql.T(IdentityTables.Merges)} (run_id, action, cohort_id, other_cohort_id, identifier, value, records, rule)
            SELECT {id}, 'link', cohort_id, NULL, identifier, value, records, 'shared ' || type FROM {_sql.T(IdentityTables.Identifiers)} WHERE records >= 2
            UNION ALL
            SELECT {id}, 'drop', NULL, NULL, identifier, value, count(*), min(reason) FROM {W("occ")} WHERE status = 'dropped' GROUP BY identifier, value
            UNION ALL
            SELECT {id}, action, cohort_id, other_cohort_id, NULL, NULL, NULL, CASE WHEN action = 'merge' THEN 'kept the oldest id' ELSE 'split from' END FROM {W("moves")}
            """ + (rules.Matching is null ? "" : $"""

            UNION ALL
            SELECT {id}, 'match', r.cohort_id, NULL, 'probabilistic', p.source_a || ':' || p.key_a || ' ~ ' || p.source_b || ':' || p.key_b, 2,
                   'match probability >= ' || {IdentitySql.Literal(Matching.MatchingSql.Number(rules.Matching.Threshold))}
            FROM {_sql.T(IdentityTables.Pairs)} AS p JOIN {_sql.T(IdentityTables.Records)} AS r ON r.source = p.source_a AND r.record_key = p.key_a
            WHERE p.status = 'linked'
            """));
        statements.Add($"INSERT INTO {_sql.T(IdentityTables.Runs)} (run_id, mode, started_at, finished_at, records, cohorts, rounds, elapsed_ms) VALUES " +
                       $"({id}, {IdentitySql.Literal(mode)}, {Timestamp(startedAt)}, {Timestamp(finishedAt)}, {records}, {cohorts}, {rounds}, {(long)elapsed.TotalMilliseconds})");
        await warehouse.ExecuteScriptAsync(_sql.Atomic(statements), ct).ConfigureAwait(false);
    }

    private static string Timestamp(DateTime utc) => $"CAST('{utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}' AS TIMESTAMP)";
}
