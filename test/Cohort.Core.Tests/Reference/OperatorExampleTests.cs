using Cohort.Testing.Differential;
using Cohort.Testing.Examples;
using Cohort.Testing.Reference;

namespace Cohort.Core.Tests.Reference;

public sealed class OperatorExampleTests
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var example in OperatorExamples.All) names.Add(example.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reference_evaluator_gives_the_hand_worked_members(string name)
    {
        var example = OperatorExamples.Get(name);
        var evaluator = new ReferenceEvaluator(TestSchema.Schema, example.Data, example.AllAudiences);

        var members = evaluator.Members(example.Audience, example.Context);

        Assert.Equal(Sorted(example.ExpectedMembers), Sorted(members));
        if (example.ExpectedGroups is { } groups)
        {
            foreach (var key in example.ExpectedMembers)
                Assert.Equal(groups[key], evaluator.SplitGroup(example.Audience, key));
        }
    }

    private static List<string> Sorted(IEnumerable<object> keys) =>
        [.. keys.Select(ReferenceDataset.Format).Order(StringComparer.Ordinal)];
}
