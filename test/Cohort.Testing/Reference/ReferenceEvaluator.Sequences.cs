using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

// Section 7: sequences.
public sealed partial class ReferenceEvaluator
{
    private bool MatchesSequence(SequenceCondition s, ModelDefinition context, Row row, EvaluationContext ctx)
    {
        if (s.Steps.IsDefaultOrEmpty) throw new InvalidOperationException("A sequence needs at least one step (COH324).");
        var a = ctx.AsOfUtc;

        // Each step's candidates are chosen like an event condition's matching rows, window included.
        // Only their times matter, so each step keeps its distinct times in ascending order.
        var candidates = s.Steps
            .Select(step => EventRows(context, row, step.Model, step.Names, step.Where, ctx)
                .Where(x => InWindow(x.Time, s.Window, ctx))
                .Select(x => x.Time).Distinct().Order().ToList())
            .ToList();
        var gaps = s.Steps.Select(step => step.MaxGap is { } g ? Fixed(g) : (TimeSpan?)null).ToList();
        var within = s.Within is { } w ? Fixed(w) : (TimeSpan?)null;

        // not_followed_by: rows of F with its names and where, t ≤ asOf, ignoring the window.
        List<DateTime>? followers = null;
        TimeSpan wait = default;
        if (s.NotFollowedBy is { } f)
        {
            wait = Fixed(f.MaxGap ?? throw new InvalidOperationException("not_followed_by needs 'within'."));
            followers = [.. EventRows(context, row, f.Model, f.Names, f.Where, ctx).Select(x => x.Time)];
        }

        bool LastStepOk(DateTime tk) =>
            followers is null ||
            (tk + wait <= a && !followers.Any(t => tk < t && t <= tk + wait));

        // Search over candidate tuples, one first step at a time: the set of times step i can be at, given
        // the chosen t1, is every candidate t of step i that some reachable time p of step i-1 precedes
        // strictly (p < t) within the step's gap, and that stays within W of t1. Pruning intermediate steps by W
        // loses nothing: times increase, so ti - t1 ≤ tk - t1 ≤ W for every tuple that is a solution.
        foreach (var t1 in candidates[0])
        {
            var reachable = new List<DateTime> { t1 };
            for (var i = 1; i < candidates.Count && reachable.Count > 0; i++)
            {
                var previous = reachable;
                var gap = gaps[i];
                reachable = [.. candidates[i].Where(t =>
                    (within is null || t - t1 <= within) &&
                    previous.Any(p => p < t && (gap is null || t - p <= gap)))];
            }
            if (reachable.Any(LastStepOk)) return true;
        }
        return false;
    }

    /// <summary>Gaps and windows inside a sequence take fixed-length units only (COH323).</summary>
    private static TimeSpan Fixed(Duration duration) =>
        duration.IsFixedLength
            ? duration.ToTimeSpan()
            : throw new InvalidOperationException($"A sequence gap cannot be {duration} (COH323).");
}
