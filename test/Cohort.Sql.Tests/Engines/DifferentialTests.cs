using System.Globalization;
using Cohort.Sql.Compile;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using Cohort.Testing.Engines;
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
        DifferentialCase? previous = null;
        await DifferentialGenerators.Case.SampleAsync(async c =>
        {
            cases++;
            try
            {
                await CheckAsync(c);
            }
            catch (Exception e)
            {
                // Tell a result that depends on what the database held before (its statistics, its plan choices)
                // from one that does not: the same case on a fresh database.
                var fresh = await FreshDatabaseVerdictAsync(c) + "; " + await StateVerdictAsync(c);
                FailureDump.Write(engine.Tables.Dialect, previous, c, e, fresh);
                throw new Xunit.Sdk.XunitException($"{e.Message}\nOn a fresh database: {fresh}", e);
            }
            finally
            {
                previous = c;
            }
        }, seed: Seed, iter: Iterations, threads: 1, print: c => c.ToString());
        Assert.True(cases >= Iterations, $"Only {cases} cases ran.");
    }

    /// <summary>Whether the tables hold exactly the case's rows, and whether running the case again now agrees.</summary>
    private async Task<string> StateVerdictAsync(DifferentialCase c)
    {
        var w = engine.Tables.Warehouse;
        var counts = new List<string>();
        foreach (var table in TestSchema.Tables)
        {
            var actual = Convert.ToInt64(await w.ScalarAsync(new CompiledSql(w.Dialect, $"SELECT count(*) FROM {table.Name}", [])), CultureInfo.InvariantCulture);
            if (actual != c.Data.Rows(table.Name).Count) counts.Add($"{table.Name} has {actual} rows, expected {c.Data.Rows(table.Name).Count}");
        }
        string rerun;
        try
        {
            var compiler = new AudienceCompiler(TestSchema.Schema, c.AllAudiences);
            var reference = new ReferenceEvaluator(TestSchema.Schema, c.Data, c.AllAudiences);
            var again = await engine.Tables.MembersAsync(compiler, c.Target, c.Context);
            rerun = again.SetEquals(reference.Members(c.Target, c.Context)) ? "the same query now agrees" : "the same query still disagrees";
        }
        catch (Exception e)
        {
            rerun = "rerun failed: " + e.Message.Split('\n')[0];
        }
        return (counts.Count == 0 ? "table row counts are right" : string.Join(", ", counts)) + "; " + rerun;
    }

    /// <summary>Runs the case on a new, empty database of the same engine and says whether it agrees there.</summary>
    protected abstract Task<string> FreshDatabaseVerdictAsync(DifferentialCase c);

    protected static async Task<string> VerdictAsync(TestSchemaWarehouse tables, DifferentialCase c)
    {
        try
        {
            await new DifferentialCheck(tables).RunAsync(c);
            return "agrees with the reference evaluator";
        }
        catch (Exception e)
        {
            return "also fails: " + e.Message.Split('\n')[0];
        }
    }

    private Task CheckAsync(DifferentialCase c) => new DifferentialCheck(engine.Tables).RunAsync(c);
}

/// <summary>One differential case on one engine: load the data, compare members and block counts with the oracle.</summary>
public sealed class DifferentialCheck(TestSchemaWarehouse tables)
{
    public async Task RunAsync(DifferentialCase c)
    {
            await tables.LoadAsync(c.Data);
            var compiler = new AudienceCompiler(TestSchema.Schema, c.AllAudiences);
            var reference = new ReferenceEvaluator(TestSchema.Schema, c.Data, c.AllAudiences);

            var expected = Sorted(reference.Members(c.Target, c.Context));
            var actual = Sorted(await tables.MembersAsync(compiler, c.Target, c.Context));
            if (!expected.SequenceEqual(actual))
                throw Mismatch("members", expected, actual, compiler, c);

            var expectedBlocks = reference.BlockCounts(c.Target, c.Context).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
            var actualBlocks = (await tables.BlockCountsAsync(compiler, c.Target, c.Context)).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
            if (!expectedBlocks.SequenceEqual(actualBlocks))
                throw Mismatch("block counts", expectedBlocks, actualBlocks, compiler, c);
    }

    private Exception Mismatch(string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual, AudienceCompiler compiler, DifferentialCase c) =>
        new Xunit.Sdk.XunitException(
            $"{tables.Dialect} {what} differ from the reference evaluator.\n" +
            $"  reference: [{string.Join(", ", expected)}]\n  engine:    [{string.Join(", ", actual)}]\n" +
            $"SQL:\n{compiler.Members(c.Target, c.Context, tables.Dialect).Text}");

    private static List<string> Sorted(IEnumerable<object> keys) => [.. keys.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)!).Order(StringComparer.Ordinal)];
}

public sealed class DuckDbDifferentialTests(DuckDbEngine engine) : DifferentialTests(engine), IClassFixture<DuckDbEngine>
{
    protected override async Task<string> FreshDatabaseVerdictAsync(DifferentialCase c)
    {
        var fresh = new DuckDbEngine();
        await fresh.InitializeAsync();
        try
        {
            return await VerdictAsync(fresh.Tables, c);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}

public sealed class PostgresDifferentialTests(PostgresEngine engine) : DifferentialTests(engine), IClassFixture<PostgresEngine>
{
    protected override async Task<string> FreshDatabaseVerdictAsync(DifferentialCase c)
    {
        var fresh = new PostgresEngine();
        await fresh.InitializeAsync();
        try
        {
            return await VerdictAsync(fresh.Tables, c);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}
