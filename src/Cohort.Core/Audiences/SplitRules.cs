using Cohort.Core.Diagnostics;

namespace Cohort.Core.Audiences;

/// <summary>Split groups: named once each, positive percentages with at most two decimals, adding up to 100.</summary>
internal static class SplitRules
{
    public static void Check(SplitDefinition splits, Site site, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(splits.Salt))
            diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.EmptySalt, site.At("salt"));
        var groups = splits.Groups.IsDefault ? [] : splits.Groups;
        if (groups.Length == 0)
        {
            diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.NoSplitGroups, site.At("groups"));
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Length; i++)
        {
            var group = groups[i];
            if (!names.Add(group.Name))
                diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.DuplicateSplitGroup(group.Name), site.At("groups", $"[{i}]", "name"));
            if (group.Percent <= 0 || group.Percent > 100)
                diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.SplitPercentOutOfRange(group.Percent), site.At("groups", $"[{i}]", "percent"));
            else if (decimal.Round(group.Percent, 2) != group.Percent)
                diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.SplitPercentPrecision(group.Percent), site.At("groups", $"[{i}]", "percent"));
        }
        var total = groups.Sum(g => g.Percent);
        if (total != 100)
            diagnostics.Error(DiagnosticCodes.InvalidSplits, Messages.SplitTotal(total), site.At("groups"));
    }
}
