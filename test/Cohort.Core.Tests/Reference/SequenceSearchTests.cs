using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using CsCheck;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Core.Tests.Reference;

/// <summary>
/// The evaluator searches sequences with a forward pass per first step; here that is checked against the
/// definition taken literally: enumerate every tuple of candidate rows and test each rule of section 7.
/// </summary>
public sealed class SequenceSearchTests
{
    private static readonly DateTime Base = new(2026, 3, 15, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime AsOf = Base.AddMinutes(10);
    private static readonly string[] Names = ["view", "cart", "purchase"];

    private sealed record Case(
        ImmutableArray<(string Name, DateTime Time)> Events,
        ImmutableArray<(string Name, int? GapMinutes)> Steps,
        int? WithinMinutes,
        int? WindowMinutes,
        int? NotFollowedWithinMinutes)
    {
        public override string ToString() =>
            $"events [{string.Join(", ", Events.Select(e => $"{e.Name}@{(e.Time - Base).TotalMinutes:0.######}"))}] " +
            $"steps [{string.Join(", ", Steps.Select(s => $"{s.Name}/{s.GapMinutes}"))}] within {WithinMinutes} window {WindowMinutes} nfb {NotFollowedWithinMinutes}";
    }

    private static readonly Gen<(string, DateTime)> EventGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 12], Gen.Int[0, 3],
            (name, minute, nudge) => (Names[name], Base.AddMinutes(minute).AddTicks(nudge == 3 ? 10 : nudge == 2 ? -10 : 0)));

    private static readonly Gen<Case> CaseGen =
        Gen.Select(
            EventGen.Array[2, 10],
            Gen.Select(Gen.Int[0, 1], Gen.Int[0, 5]).Array[1, 3],
            Gen.Int[0, 6], Gen.Int[0, 14], Gen.Int[0, 3],
            (events, steps, within, window, nfb) => new Case(
                [.. events],
                [.. steps.Select(s => (Names[s.Item1], s.Item2 is 0 or > 3 ? (int?)null : s.Item2))],
                within is 0 or > 4 ? null : within,
                window > 10 ? null : window,
                nfb == 0 ? null : nfb));

    [Fact]
    public void Sequence_search_agrees_with_enumerating_every_tuple()
    {
        int matched = 0, unmatched = 0;
        CaseGen.Sample(c =>
        {
            if (c.Steps.Length == 1 && c.NotFollowedWithinMinutes is null) return true; // COH324: not a valid sequence
            var data = PeopleWithIds(1).Events([.. c.Events.Select(e => Ev(1, e.Name, e.Time.ToString("O")))]);
            var evaluator = new ReferenceEvaluator(TestSchema.Schema, data, []);
            var condition = Sequence(
                [.. c.Steps.Select((s, i) => Step(s.Name, within: i > 0 && s.GapMinutes is { } g ? Minutes(g) : null))],
                within: c.WithinMinutes is { } w ? Minutes(w) : null,
                window: c.WindowMinutes is { } n ? Last(Minutes(n)) : Ever,
                notFollowedBy: c.NotFollowedWithinMinutes is { } f ? Step("purchase", within: Minutes(f)) : null);
            var actual = evaluator.Matches(condition, TestSchema.People, data.Rows("people")[0], EvaluationContext.Utc(AsOf));
            Interlocked.Increment(ref actual ? ref matched : ref unmatched);
            return actual == BruteForce(c);
        }, iter: 3000);
        // Both outcomes must be common, or the comparison says little.
        Assert.True(matched > 300 && unmatched > 300, $"matched {matched}, unmatched {unmatched}");
    }

    private static bool BruteForce(Case c)
    {
        var past = c.Events.Where(e => e.Time <= AsOf).ToList();
        bool InWindow(DateTime t) => c.WindowMinutes is not { } n || AsOf.AddMinutes(-n) <= t;
        var candidates = c.Steps.Select(s => past.Where(e => e.Name == s.Name && InWindow(e.Time)).Select(e => e.Time).ToList()).ToList();

        bool Valid(IReadOnlyList<DateTime> tuple)
        {
            for (var i = 1; i < tuple.Count; i++)
            {
                if (!(tuple[i - 1] < tuple[i])) return false;
                if (c.Steps[i].GapMinutes is { } g && tuple[i] - tuple[i - 1] > TimeSpan.FromMinutes(g)) return false;
            }
            if (c.WithinMinutes is { } w && tuple[^1] - tuple[0] > TimeSpan.FromMinutes(w)) return false;
            if (c.NotFollowedWithinMinutes is { } f)
            {
                var tk = tuple[^1];
                var end = tk.AddMinutes(f);
                if (end > AsOf) return false;
                if (past.Any(e => e.Name == "purchase" && tk < e.Time && e.Time <= end)) return false;
            }
            return true;
        }

        bool Search(List<DateTime> chosen)
        {
            if (chosen.Count == c.Steps.Length) return Valid(chosen);
            foreach (var t in candidates[chosen.Count])
            {
                chosen.Add(t);
                if (Search(chosen)) return true;
                chosen.RemoveAt(chosen.Count - 1);
            }
            return false;
        }

        return Search([]);
    }
}
