using System.Globalization;
using Cohort.Sql.Compile;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using CsCheck;

namespace Cohort.Sql.Tests.Engines;

/// <summary>
/// Random data x random audience trees over every condition kind: the SQL result on the engine must equal the
/// reference evaluator's, members and per-block counts alike. CsCheck shrinks a failure to a small case and
/// prints its seed; rerun one with COHORT_DIFF_SEED=&lt;seed&gt;. COHORT_DIFF_ITER sets the number of cases (default 500).
/// </summary>
public abstract class DifferentialTests(IEngine engine)
{
    private static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("COHORT_DIFF_ITER"), CultureInfo.InvariantCulture, out var n) ? n : 500;

    private static string? Seed => Environment.GetEnvironmentVariable("COHORT_DIFF_SEED") is { Length: > 0 } s ? s : null;

    [Fact]
    public async Task Random_audiences_agree_with_the_reference_evaluator()
    {
        var cases = 0;
        await DifferentialGenerators.Case.SampleAsync(async c =>
        {
            cases++;
            await engine.Tables.LoadAsync(c.Data);
            var compiler = new AudienceCompiler(TestSchema.Schema, c.AllAudiences);
            var reference = new ReferenceEvaluator(TestSchema.Schema, c.Data, c.AllAudiences);

            var expected = Sorted(reference.Members(c.Target, c.Context));
            var actual = Sorted(await engine.Tables.MembersAsync(compiler, c.Target, c.Context));
            if (!expected.SequenceEqual(actual))
                throw Mismatch("members", expected, actual, compiler, c);

            var expectedBlocks = reference.BlockCounts(c.Target, c.Context).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
            var actualBlocks = (await engine.Tables.BlockCountsAsync(compiler, c.Target, c.Context)).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
            if (!expectedBlocks.SequenceEqual(actualBlocks))
                throw Mismatch("block counts", expectedBlocks, actualBlocks, compiler, c);
        }, seed: Seed, iter: Iterations, threads: 1, print: c => c.ToString());
        Assert.True(cases >= Iterations, $"Only {cases} cases ran.");
    }

    private Exception Mismatch(string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual, AudienceCompiler compiler, DifferentialCase c) =>
        new Xunit.Sdk.XunitException(
            $"{engine.Tables.Dialect} {what} differ from the reference evaluator.\n" +
            $"  reference: [{string.Join(", ", expected)}]\n  engine:    [{string.Join(", ", actual)}]\n" +
            $"SQL:\n{compiler.Members(c.Target, c.Context, engine.Tables.Dialect).Text}");

    private static List<string> Sorted(IEnumerable<object> keys) => [.. keys.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)!).Order(StringComparer.Ordinal)];
}

public sealed class DuckDbDifferentialTests(DuckDbEngine engine) : DifferentialTests(engine), IClassFixture<DuckDbEngine>;

public sealed class PostgresDifferentialTests(PostgresEngine engine) : DifferentialTests(engine), IClassFixture<PostgresEngine>;
