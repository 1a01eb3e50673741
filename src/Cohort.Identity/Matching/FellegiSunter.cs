namespace Cohort.Identity.Matching;

/// <summary>
/// How often one comparison pattern occurs among the blocked pairs: <see cref="Rules"/> has bit r set when
/// blocking rule r generated the pair; <see cref="Levels"/> holds one level per field (0 = the first, most similar
/// level; the field's level count = "different"; -1 = missing on either side).
/// </summary>
public sealed record ComparisonPattern(long Rules, int[] Levels, long Count);

/// <summary>The trained model: per field and level the m and u probabilities, and the prior match probability.</summary>
public sealed record FellegiSunterModel(double[][] M, double[][] U, double Lambda, int[] Sessions, int Iterations)
{
    /// <summary>
    /// log2(m/u) of a field's level: the evidence that level adds to a pair's match weight. A similarity level never
    /// counts as less than "different" (the last level): with few near-misses among the matches EM can put m of a
    /// level near zero, and a closer value must not be worse evidence than an unrelated one.
    /// </summary>
    public double Weight(int field, int level)
    {
        var different = Math.Log2(M[field][^1] / U[field][^1]);
        var raw = Math.Log2(M[field][level] / U[field][level]);
        return level == M[field].Length - 1 ? raw : Math.Max(raw, different);
    }

    /// <summary>log2 of the prior odds that two records match.</summary>
    public double PriorWeight => Math.Log2(Lambda / (1 - Lambda));
}

/// <summary>
/// Fellegi–Sunter estimation as Splink does it: u probabilities from random record pairs (almost all
/// non-matches), m probabilities by expectation–maximisation on the blocked pairs, one training session per
/// blocking rule in which the fields that rule blocks on are not estimated (every pair agrees on them, so they
/// say nothing there), averaged over sessions. The work runs on pattern counts, which the warehouse aggregates:
/// a few hundred rows however many pairs there are.
/// </summary>
public static class FellegiSunter
{
    private const double Floor = 1e-6;

    /// <summary>u per field and level from the level counts of random pairs (add-half smoothing so no level has u = 0).</summary>
    public static double[][] EstimateU(int[] levelCounts, long[][] randomCounts)
    {
        var u = new double[levelCounts.Length][];
        for (var f = 0; f < levelCounts.Length; f++)
        {
            var counts = randomCounts[f];
            var total = counts.Sum() + 0.5 * (levelCounts[f] + 1);
            u[f] = [.. Enumerable.Range(0, levelCounts[f] + 1).Select(l => (counts[l] + 0.5) / total)];
        }
        return u;
    }

    /// <summary>
    /// Trains m by EM with u fixed. <paramref name="blockedFields"/>[r] lists the fields rule r blocks on.
    /// <paramref name="totalPairs"/> is the number of record pairs there are (n(n-1)/2): the prior is the expected
    /// number of matching pairs among the blocked ones divided by it.
    /// </summary>
    public static FellegiSunterModel Train(int[] levelCounts, double[][] u, IReadOnlyList<ComparisonPattern> patterns, IReadOnlyList<int[]> blockedFields,
        double totalPairs, int maxIterations = 25)
    {
        var fields = levelCounts.Length;
        var sums = new double[fields][];
        var sessions = new int[fields];
        for (var f = 0; f < fields; f++) sums[f] = new double[levelCounts[f] + 1];
        var iterations = 0;
        for (var r = 0; r < blockedFields.Count; r++)
        {
            var bit = 1L << r;
            var session = patterns.Where(p => (p.Rules & bit) != 0).ToList();
            if (session.Count == 0) continue;
            var active = Enumerable.Range(0, fields).Where(f => !blockedFields[r].Contains(f)).ToArray();
            if (active.Length == 0) continue;
            var (m, _, used) = Em(levelCounts, u, session, active, Initial(levelCounts), 0.1, maxIterations);
            iterations += used;
            foreach (var f in active)
            {
                sessions[f]++;
                for (var l = 0; l < m[f].Length; l++) sums[f][l] += m[f][l];
            }
        }
        // A field every rule blocks on is never estimated in a session: estimate it on all blocked pairs instead.
        var missing = Enumerable.Range(0, fields).Where(f => sessions[f] == 0).ToArray();
        var result = new double[fields][];
        for (var f = 0; f < fields; f++) result[f] = sessions[f] == 0 ? [] : [.. sums[f].Select(s => Math.Max(s / sessions[f], Floor))];
        if (missing.Length > 0)
        {
            var (m, _, used) = Em(levelCounts, u, patterns, missing, Initial(levelCounts), 0.1, maxIterations);
            iterations += used;
            foreach (var f in missing) result[f] = [.. m[f].Select(x => Math.Max(x, Floor))];
        }
        // The share of blocked pairs that match, with every m and u fixed; the prior over all pairs follows from it.
        var blocked = patterns.Sum(p => (double)p.Count);
        var lambdaBlocked = LambdaOnly(result, u, patterns, maxIterations * 4);
        var lambda = Math.Clamp(lambdaBlocked * blocked / Math.Max(totalPairs, 1), 1e-12, 0.5);
        return new FellegiSunterModel(result, u, lambda, sessions, iterations);
    }

    private static double[][] Initial(int[] levelCounts) =>
        [.. levelCounts.Select(levels =>
        {
            // Most matches agree exactly, fewer at each weaker level, few disagree.
            var m = new double[levels + 1];
            var share = 0.9;
            for (var l = 0; l < levels; l++) { m[l] = share; share = Math.Max(share / 4, 0.01); }
            m[levels] = 0.05;
            var sum = m.Sum();
            return m.Select(x => x / sum).ToArray();
        })];

    private static (double[][] M, double Lambda, int Iterations) Em(int[] levelCounts, double[][] u, IReadOnlyList<ComparisonPattern> patterns, int[] active,
        double[][] m, double lambda, int maxIterations)
    {
        var iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            var matchSums = levelCounts.Select(l => new double[l + 1]).ToArray();
            var present = new double[levelCounts.Length];
            double expected = 0, total = 0;
            foreach (var p in patterns)
            {
                var w = Posterior(p, active, m, u, lambda);
                expected += w * p.Count;
                total += p.Count;
                foreach (var f in active)
                {
                    var level = p.Levels[f];
                    if (level < 0) continue;
                    matchSums[f][level] += w * p.Count;
                    present[f] += w * p.Count;
                }
            }
            var change = 0.0;
            foreach (var f in active)
            {
                if (present[f] <= 0) continue;
                for (var l = 0; l < matchSums[f].Length; l++)
                {
                    var next = Math.Max(matchSums[f][l] / present[f], Floor);
                    change = Math.Max(change, Math.Abs(next - m[f][l]));
                    m[f][l] = next;
                }
            }
            var nextLambda = Math.Clamp(expected / Math.Max(total, 1), 1e-9, 1 - 1e-9);
            change = Math.Max(change, Math.Abs(nextLambda - lambda));
            lambda = nextLambda;
            if (change < 1e-6) break;
        }
        return (m, lambda, iteration);
    }

    private static double LambdaOnly(double[][] m, double[][] u, IReadOnlyList<ComparisonPattern> patterns, int maxIterations)
    {
        var all = Enumerable.Range(0, m.Length).ToArray();
        var lambda = 0.1;
        for (var i = 0; i < maxIterations; i++)
        {
            double expected = 0, total = 0;
            foreach (var p in patterns)
            {
                expected += Posterior(p, all, m, u, lambda) * p.Count;
                total += p.Count;
            }
            var next = Math.Clamp(expected / Math.Max(total, 1), 1e-9, 1 - 1e-9);
            if (Math.Abs(next - lambda) < 1e-9) return next;
            lambda = next;
        }
        return lambda;
    }

    private static double Posterior(ComparisonPattern p, int[] active, double[][] m, double[][] u, double lambda)
    {
        var logOdds = Math.Log(lambda / (1 - lambda));
        foreach (var f in active)
        {
            var level = p.Levels[f];
            if (level >= 0) logOdds += Math.Log(m[f][level] / u[f][level]);
        }
        return 1 / (1 + Math.Exp(-logOdds));
    }
}
