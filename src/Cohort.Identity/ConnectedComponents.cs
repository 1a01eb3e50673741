using Cohort.Warehouses;

namespace Cohort.Identity;

/// <summary>What one connected-components computation did.</summary>
public sealed record ComponentsRun(int Rounds, int PointerJumps, TimeSpan Elapsed);

/// <summary>
/// Connected components of an undirected graph held in the warehouse, computed in SQL with a logarithmic number
/// of rounds: every node hooks to its smallest neighbour, every tree root also hooks to the smallest label adjacent
/// to its tree (so no tree stays a lone node), pointer jumping flattens the forest, and the edge list is contracted
/// to the roots. Each round at least halves the nodes that still have edges, so a chain of a million nodes needs
/// about twenty rounds, not a million (docs/identity.md, "Algorithm").
/// </summary>
/// <remarks>
/// Input: a table <c>(a BIGINT, b BIGINT)</c> of edges (either direction, duplicates allowed). Output: a table
/// <c>(node BIGINT, root BIGINT)</c> for every node that appears in an edge, <c>root</c> being the smallest node
/// of its component. Work tables are named after the output and dropped at the end.
/// </remarks>
internal static class ConnectedComponents
{
    public static async Task<ComponentsRun> RunAsync(IWarehouse warehouse, IdentitySql sql, string edges, string output, TimeProvider clock, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        string W(string suffix) => sql.Work($"{output}_{suffix}");
        var e = W("e");
        var m = W("m");
        var p = W("p");
        var p2 = W("p2");
        var l = W("l");
        var l2 = W("l2");
        var eNext = W("en");
        var outTable = sql.Work(output);
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"DROP TABLE IF EXISTS {e}", $"DROP TABLE IF EXISTS {m}", $"DROP TABLE IF EXISTS {p}", $"DROP TABLE IF EXISTS {p2}",
            $"DROP TABLE IF EXISTS {l}", $"DROP TABLE IF EXISTS {l2}", $"DROP TABLE IF EXISTS {eNext}", $"DROP TABLE IF EXISTS {outTable}",
            // Both directions, no self loops (duplicates do no harm: every step takes a minimum).
            $"CREATE TABLE {e} AS SELECT a, b FROM {sql.Work(edges)} WHERE a <> b UNION ALL SELECT b AS a, a AS b FROM {sql.Work(edges)} WHERE a <> b",
            $"CREATE TABLE {l} AS SELECT DISTINCT a AS node, a AS root FROM {e}" + sql.Analyze(e) + sql.Analyze(l)), ct).ConfigureAwait(false);

        var rounds = 0;
        var jumps = 0;
        while (await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {e}"), ct).ConfigureAwait(false) > 0)
        {
            rounds++;
            await warehouse.ExecuteScriptAsync(string.Join(";\n",
                // Each node's smallest neighbour (or itself).
                $"DROP TABLE IF EXISTS {m}",
                $"CREATE TABLE {m} AS SELECT a AS x, LEAST(a, min(b)) AS p FROM {e} GROUP BY a",
                // Roots also hook to the smallest label next to their tree; every pointer goes down, so no cycles.
                $"DROP TABLE IF EXISTS {p}",
                $"""
                CREATE TABLE {p} AS
                SELECT m.x, LEAST(m.p, COALESCE(h.q, m.p)) AS p
                FROM {m} AS m LEFT JOIN (
                    SELECT m1.p AS r, min(m2.p) AS q
                    FROM {e} AS e JOIN {m} AS m1 ON e.a = m1.x JOIN {m} AS m2 ON e.b = m2.x
                    WHERE m2.p < m1.p
                    GROUP BY m1.p
                ) AS h ON h.r = m.x
                """ + sql.Analyze(p)), ct).ConfigureAwait(false);
            // Pointer jumping until every node points at its root. A node whose target is a root is done for the
            // rest of the round (roots do not move while jumping), so after the first pass only the others are
            // rewritten: each pass reads every pointer but writes only the nodes still on their way.
            var pd = W("pd");
            var pa = W("pa");
            var pa2 = W("pa2");
            jumps++;
            await warehouse.ExecuteScriptAsync(string.Join(";\n",
                $"DROP TABLE IF EXISTS {p2}", $"DROP TABLE IF EXISTS {pd}", $"DROP TABLE IF EXISTS {pa}", $"DROP TABLE IF EXISTS {pa2}",
                // Every node's pointer to its pointer's pointer; a pointer moved when its target was not a root.
                $"CREATE TABLE {p2} AS SELECT a.x, b.p, b.p <> a.p AS moved FROM {p} AS a JOIN {p} AS b ON a.p = b.x",
                $"CREATE TABLE {pd} AS SELECT x, p FROM {p2} WHERE NOT moved",
                $"CREATE TABLE {pa} AS SELECT x, p FROM {p2} WHERE moved",
                $"DROP TABLE {p2}",
                $"DROP TABLE {p}"), ct).ConfigureAwait(false);
            while (await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {pa}"), ct).ConfigureAwait(false) > 0)
            {
                jumps++;
                await warehouse.ExecuteScriptAsync(string.Join(";\n",
                    $"CREATE TABLE {pa2} AS SELECT a.x, b.p, b.p <> a.p AS moved FROM {pa} AS a JOIN (SELECT x, p FROM {pd} UNION ALL SELECT x, p FROM {pa}) AS b ON a.p = b.x",
                    $"INSERT INTO {pd} SELECT x, p FROM {pa2} WHERE NOT moved",
                    $"DROP TABLE {pa}",
                    $"CREATE TABLE {pa} AS SELECT x, p FROM {pa2} WHERE moved",
                    $"DROP TABLE {pa2}"), ct).ConfigureAwait(false);
            }
            await warehouse.ExecuteScriptAsync($"DROP TABLE {pa};\nALTER TABLE {pd} RENAME TO {IdentitySql.Quote($"{output}_p")}" + sql.Analyze(p), ct).ConfigureAwait(false);
            // Every node's label follows its root; the edges contract to edges between roots.
            await warehouse.ExecuteScriptAsync(string.Join(";\n",
                $"DROP TABLE IF EXISTS {l2}",
                $"CREATE TABLE {l2} AS SELECT l.node, COALESCE(p.p, l.root) AS root FROM {l} AS l LEFT JOIN {p} AS p ON l.root = p.x",
                $"DROP TABLE {l}",
                $"ALTER TABLE {l2} RENAME TO {IdentitySql.Quote($"{output}_l")}",
                $"CREATE TABLE {eNext} AS SELECT DISTINCT pa.p AS a, pb.p AS b FROM {e} AS e JOIN {p} AS pa ON e.a = pa.x JOIN {p} AS pb ON e.b = pb.x WHERE pa.p <> pb.p",
                $"DROP TABLE {e}",
                $"ALTER TABLE {eNext} RENAME TO {IdentitySql.Quote($"{output}_e")}" + sql.Analyze(e) + sql.Analyze(l)), ct).ConfigureAwait(false);
        }
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"ALTER TABLE {l} RENAME TO {IdentitySql.Quote(output)}",
            $"DROP TABLE IF EXISTS {e}", $"DROP TABLE IF EXISTS {m}", $"DROP TABLE IF EXISTS {p}", $"DROP TABLE IF EXISTS {p2}",
            $"DROP TABLE IF EXISTS {W("pd")}", $"DROP TABLE IF EXISTS {W("pa")}", $"DROP TABLE IF EXISTS {W("pa2")}"), ct).ConfigureAwait(false);
        return new ComponentsRun(rounds, jumps, clock.GetElapsedTime(started));
    }

    /// <summary>
    /// The baseline: label propagation one hop per round (every node takes the smallest label among itself and its
    /// neighbours until nothing changes), as many rounds as the longest shortest path. Same input and output.
    /// </summary>
    public static async Task<ComponentsRun> NaiveAsync(IWarehouse warehouse, IdentitySql sql, string edges, string output, TimeProvider clock, CancellationToken ct, int maxRounds = int.MaxValue)
    {
        var started = clock.GetTimestamp();
        var e = sql.Work($"{output}_e");
        var l = sql.Work($"{output}_l");
        var l2 = sql.Work($"{output}_l2");
        await warehouse.ExecuteScriptAsync(string.Join(";\n",
            $"DROP TABLE IF EXISTS {e}", $"DROP TABLE IF EXISTS {l}", $"DROP TABLE IF EXISTS {l2}", $"DROP TABLE IF EXISTS {sql.Work(output)}",
            $"CREATE TABLE {e} AS SELECT DISTINCT a, b FROM (SELECT a, b FROM {sql.Work(edges)} UNION ALL SELECT b AS a, a AS b FROM {sql.Work(edges)}) AS x WHERE a <> b",
            $"CREATE TABLE {l} AS SELECT DISTINCT a AS node, a AS root FROM {e}" + sql.Analyze(e) + sql.Analyze(l)), ct).ConfigureAwait(false);
        var rounds = 0;
        while (rounds < maxRounds)
        {
            rounds++;
            await warehouse.ExecuteScriptAsync(string.Join(";\n",
                $"DROP TABLE IF EXISTS {l2}",
                $"CREATE TABLE {l2} AS SELECT l.node, LEAST(l.root, COALESCE(n.root, l.root)) AS root FROM {l} AS l LEFT JOIN (SELECT e.a, min(lb.root) AS root FROM {e} AS e JOIN {l} AS lb ON e.b = lb.node GROUP BY e.a) AS n ON n.a = l.node"), ct).ConfigureAwait(false);
            var changed = await IdentitySql.LongAsync(warehouse, sql.Sql($"SELECT count(*) FROM {l2} AS a JOIN {l} AS b ON a.node = b.node WHERE a.root <> b.root"), ct).ConfigureAwait(false);
            await warehouse.ExecuteScriptAsync($"DROP TABLE {l};\nALTER TABLE {l2} RENAME TO {IdentitySql.Quote($"{output}_l")}" + sql.Analyze(l), ct).ConfigureAwait(false);
            if (changed == 0) break;
        }
        await warehouse.ExecuteScriptAsync($"ALTER TABLE {l} RENAME TO {IdentitySql.Quote(output)};\nDROP TABLE IF EXISTS {e}", ct).ConfigureAwait(false);
        return new ComponentsRun(rounds, 0, clock.GetElapsedTime(started));
    }
}
