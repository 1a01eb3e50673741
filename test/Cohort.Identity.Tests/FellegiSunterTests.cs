using Cohort.Identity.Matching;

namespace Cohort.Identity.Tests;

public sealed class FellegiSunterTests
{
    /// <summary>Pattern counts exactly as a known model would produce them (3 fields, exact / partial / different).</summary>
    private static List<ComparisonPattern> Expected(double[][] m, double[][] u, double matches, double nonMatches, long rules)
    {
        var patterns = new List<ComparisonPattern>();
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++)
        for (var c = 0; c < 3; c++)
        {
            var count = matches * m[0][a] * m[1][b] * m[2][c] + nonMatches * u[0][a] * u[1][b] * u[2][c];
            patterns.Add(new ComparisonPattern(rules, [a, b, c], (long)Math.Round(count)));
        }
        return patterns;
    }

    [Fact]
    public void EM_recovers_the_m_probabilities_that_made_the_patterns()
    {
        double[][] m = [[0.85, 0.1, 0.05], [0.7, 0.2, 0.1], [0.9, 0.06, 0.04]];
        double[][] u = [[0.01, 0.04, 0.95], [0.02, 0.08, 0.9], [0.005, 0.015, 0.98]];
        // Two blocking rules: rule 0 blocks on field 0, rule 1 on field 1; every pair came from both.
        var patterns = Expected(m, u, 20_000, 2_000_000, 0b11);
        var model = FellegiSunter.Train([2, 2, 2], u, patterns, [[0], [1]], totalPairs: 1e9, maxIterations: 500);
        for (var f = 0; f < 3; f++)
        for (var l = 0; l < 3; l++)
            Assert.True(Math.Abs(model.M[f][l] - m[f][l]) < 0.01, $"m[{f}][{l}] = {model.M[f][l]:0.0000}, expected {m[f][l]}");
        Assert.Equal([1, 1, 2], model.Sessions); // each field is learnt where it is not blocked on
        // The prior: 20,000 matching pairs among 10^9.
        Assert.InRange(model.Lambda, 1.8e-5, 2.2e-5);
        Assert.True(model.Weight(0, 0) > model.Weight(0, 1) && model.Weight(0, 1) > model.Weight(0, 2));
    }

    [Fact]
    public void U_comes_from_random_pair_counts_with_no_level_at_zero()
    {
        var u = FellegiSunter.EstimateU([1, 2], [[10, 990], [0, 30, 970]]);
        Assert.Equal(1.0, u[0].Sum(), 9);
        Assert.InRange(u[0][0], 0.0104, 0.0106);
        Assert.True(u[1][0] > 0);
    }

    [Fact]
    public void A_similarity_level_never_weighs_less_than_different()
    {
        var model = new FellegiSunterModel([[0.9, 1e-6, 0.1]], [[0.01, 0.01, 0.98]], 0.001, [1], 1);
        Assert.Equal(model.Weight(0, 2), model.Weight(0, 1));
        Assert.True(model.Weight(0, 0) > 6);
    }
}
