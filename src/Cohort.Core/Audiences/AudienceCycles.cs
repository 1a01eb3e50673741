using Cohort.Core.Diagnostics;

namespace Cohort.Core.Audiences;

/// <summary>Finds chains of audience conditions and exclusions that lead an audience back to itself (COH330).</summary>
internal static class AudienceCycles
{
    /// <summary>Reports the shortest cycle through <paramref name="audience"/>, if there is one, at the reference that starts it.</summary>
    public static void Check(AudienceDefinition audience, AudienceCatalog catalog, Site site, DiagnosticBag diagnostics)
    {
        foreach (var (target, location) in References(audience, site))
        {
            var path = PathBack(target, audience.Name, catalog);
            if (path is null) continue;
            diagnostics.Error(DiagnosticCodes.AudienceCycle, Messages.AudienceCycle([audience.Name, .. path]), location);
            return;
        }
    }

    /// <summary>The audiences <paramref name="audience"/> refers to, with where each reference is written.</summary>
    public static IEnumerable<(string Target, SourceLocation? Location)> References(AudienceDefinition audience, Site site)
    {
        if (audience.Condition is { } condition)
        {
            foreach (var membership in Memberships(condition))
                yield return (membership.Audience, Site.Of(membership).At("audience"));
        }
        for (var i = 0; i < audience.Exclusions.Length; i++)
            yield return (audience.Exclusions[i], site.At("exclude", $"[{i}]"));
    }

    /// <summary>The shortest chain of names from <paramref name="start"/> to <paramref name="goal"/> (both included), or null.</summary>
    private static List<string>? PathBack(string start, string goal, AudienceCatalog catalog)
    {
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [start] = null };
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (current == goal)
            {
                var path = new List<string>();
                for (string? at = current; at is not null; at = previous[at]) path.Add(at);
                path.Reverse();
                return path;
            }
            if (catalog.Find(current) is not { } definition) continue;
            foreach (var next in Targets(definition))
            {
                if (previous.TryAdd(next, current)) queue.Enqueue(next);
            }
        }
        return null;
    }

    private static IEnumerable<string> Targets(AudienceDefinition audience) =>
        (audience.Condition is { } c ? Memberships(c).Select(m => m.Audience) : []).Concat(audience.Exclusions);

    private static IEnumerable<AudienceCondition> Memberships(Condition condition)
    {
        switch (condition)
        {
            case AudienceCondition membership:
                yield return membership;
                break;
            case AllCondition all:
                foreach (var m in all.Conditions.IsDefault ? [] : all.Conditions.SelectMany(Memberships)) yield return m;
                break;
            case AnyCondition any:
                foreach (var m in any.Conditions.IsDefault ? [] : any.Conditions.SelectMany(Memberships)) yield return m;
                break;
            case NotCondition not:
                foreach (var m in Memberships(not.Inner)) yield return m;
                break;
        }
    }
}
