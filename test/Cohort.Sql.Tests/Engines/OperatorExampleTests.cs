using Cohort.Sql.Compile;
using Cohort.Testing.Differential;
using Cohort.Testing.Examples;
using Cohort.Testing.Reference;

namespace Cohort.Sql.Tests.Engines;

/// <summary>
/// Every hand-worked example of docs/semantics.md, compiled and run on a real engine: the members must be exactly
/// the expected keys, and the per-block counts must equal the reference evaluator's.
/// </summary>
public abstract class OperatorExampleTests(IEngine engine)
{
    public static TheoryData<string> Examples => [.. OperatorExamples.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_matches_the_hand_worked_members(string name)
    {
        var example = OperatorExamples.Get(name);
        await engine.Tables.LoadAsync(example.Data);
        var compiler = new AudienceCompiler(TestSchema.Schema, example.AllAudiences);

        var members = await engine.Tables.MembersAsync(compiler, example.Audience, example.Context);
        Assert.Equal(Sorted(example.ExpectedMembers), Sorted(members));

        var reference = new ReferenceEvaluator(TestSchema.Schema, example.Data, example.AllAudiences);
        Assert.Equal(reference.BlockCounts(example.Audience, example.Context), await engine.Tables.BlockCountsAsync(compiler, example.Audience, example.Context));

        if (example.ExpectedGroups is { } groups)
        {
            var actual = await engine.Tables.SplitGroupsAsync(compiler, example.Audience, example.Context);
            Assert.Equal(groups.OrderBy(g => g.Key.ToString()), actual.OrderBy(g => g.Key.ToString()));
        }
    }

    private static List<string> Sorted(IEnumerable<object> keys) => [.. keys.Select(k => k.ToString()!).Order(StringComparer.Ordinal)];
}

public sealed class DuckDbOperatorExampleTests(DuckDbEngine engine) : OperatorExampleTests(engine), IClassFixture<DuckDbEngine>;

public sealed class PostgresOperatorExampleTests(PostgresEngine engine) : OperatorExampleTests(engine), IClassFixture<PostgresEngine>;
