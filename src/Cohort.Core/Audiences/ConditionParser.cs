using System.Collections.Frozen;
using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>Condition nodes: one method per kind key. Operands, windows and measures are in the other parts.</summary>
internal sealed partial class ConditionParser(NodeReader reader)
{
    // Static initialisers run in textual order only within one file, so every key set lives here.
    public static readonly FrozenSet<string> WindowKeys = ["within_last", "between_ago", "during", "ever"];

    public static readonly FrozenSet<string> MeasureKeys = ["performed", "count", "aggregate", "first_occurred", "last_occurred"];

    public static readonly FrozenSet<string> KindKeys =
        ["all", "any", "not", "property", "event", "sequence", "relation", "trait", "audience"];

    private static readonly string[] KindOrder = ["all", "any", "not", "property", "event", "sequence", "relation", "trait", "audience"];

    private static readonly FrozenSet<string> EventKeys =
        ["event", "model", "where", .. WindowKeys, .. MeasureKeys];

    private static readonly FrozenSet<string> SequenceKeys = ["sequence", "within", "not_followed_by", .. WindowKeys];

    private static readonly FrozenSet<string> StepKeys = ["event", "model", "where", "within"];

    private static readonly FrozenSet<string> RelationKeys = ["relation", "where", .. WindowKeys, .. MeasureKeys];

    private static readonly FrozenSet<string> AudienceKeys = ["audience", "member"];

    /// <summary>Keys that belong to some condition kind but are not kind keys themselves.</summary>
    private static readonly FrozenSet<string> ModifierKeys =
        [.. EventKeys, .. SequenceKeys, .. RelationKeys, .. AudienceKeys, .. OperatorCatalog.ByName.Keys];

    public NodeReader Reader => reader;

    public Condition? Condition(DocNode node) => node switch
    {
        DocSequence list => Group(list, list, all: true),
        DocMapping mapping => Mapping(mapping),
        _ => NotACondition(node),
    };

    private Condition? NotACondition(DocNode node)
    {
        reader.Mapping(node, Messages.ConditionWhat);
        return null;
    }

    private Condition? Mapping(DocMapping mapping)
    {
        var kinds = mapping.Entries.Where(e => KindKeys.Contains(e.Key)).ToList();
        if (kinds.Count == 0)
        {
            ReportMissingKind(mapping);
            return null;
        }
        if (kinds.Count > 1)
        {
            reader.Error(DiagnosticCodes.ConflictingKeys, Messages.TwoConditionKinds(kinds[0].Key, kinds[1].Key), kinds[1].KeyLocation);
            return null;
        }
        var kind = kinds[0];
        var condition = kind.Key switch
        {
            "all" or "any" => GroupEntry(mapping, kind),
            "not" => Not(mapping, kind),
            "property" => Property(mapping, kind),
            "event" => Event(mapping, kind),
            "sequence" => Sequence(mapping, kind),
            "relation" => Relation(mapping, kind),
            "trait" => Trait(mapping, kind),
            _ => Membership(mapping, kind),
        };
        return condition is null ? null : SourceMap.Attach(condition with { Location = mapping.Location }, mapping);
    }

    private void ReportMissingKind(DocMapping mapping)
    {
        var unknown = mapping.Entries.FirstOrDefault(e => !ModifierKeys.Contains(e.Key));
        if (unknown is not null)
            reader.Error(DiagnosticCodes.UnknownConditionKind, Messages.UnknownConditionKind(unknown.Key), unknown.KeyLocation,
                NameSuggester.Nearest(unknown.Key, KindOrder));
        else
            reader.Error(DiagnosticCodes.MissingKey, Messages.MissingConditionKind(KindOrder), mapping.Location);
    }

    private Condition? GroupEntry(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, [kind.Key], Messages.GroupWhat(kind.Key));
        return reader.Sequence(kind.Value, Messages.GroupWhat(kind.Key)) is { } list ? Group(list, mapping, kind.Key == "all") : null;
    }

    private Condition? Group(DocSequence list, DocNode owner, bool all)
    {
        var children = ImmutableArray.CreateBuilder<Condition>(list.Items.Count);
        var ok = true;
        foreach (var item in list.Items)
        {
            if (Condition(item) is { } child) children.Add(child);
            else ok = false;
        }
        if (!ok) return null;
        Condition group = all ? new AllCondition(children.MoveToImmutable()) : new AnyCondition(children.MoveToImmutable());
        return owner is DocSequence ? SourceMap.Attach(group with { Location = list.Location }, list) : group;
    }

    private NotCondition? Not(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, [kind.Key], Messages.NotWhat);
        return Condition(kind.Value) is { } inner ? new NotCondition(inner) : null;
    }

    private PropertyCondition? Property(DocMapping mapping, DocEntry kind)
    {
        var column = reader.Name(kind.Value, "property");
        var test = Test(mapping, [kind.Key], Messages.PropertyWhat);
        return column is null || test is null ? null : new PropertyCondition(column, test);
    }

    private TraitCondition? Trait(DocMapping mapping, DocEntry kind)
    {
        var name = reader.Name(kind.Value, "trait");
        var test = Test(mapping, [kind.Key], Messages.TraitWhat);
        return name is null || test is null ? null : new TraitCondition(name, test);
    }

    private AudienceCondition? Membership(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, AudienceKeys, Messages.AudienceConditionWhat);
        var name = reader.Name(kind.Value, "audience");
        var member = mapping.Find("member") is { } entry ? reader.Boolean(entry.Value, "member") : true;
        return name is null || member is null ? null : new AudienceCondition(name, member.Value);
    }

    private EventCondition? Event(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, EventKeys, Messages.EventWhat);
        var names = reader.Names(kind.Value, "event");
        var model = OptionalName(mapping, "model");
        var where = Where(mapping, out var whereOk);
        var window = Window(mapping);
        var measure = Measure(mapping);
        if (names is null || !model.Ok || !whereOk || window is null || measure is null) return null;
        return new EventCondition(model.Value, names.Value, where, window, measure);
    }

    private SequenceCondition? Sequence(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, SequenceKeys, Messages.SequenceWhat);
        var steps = ImmutableArray.CreateBuilder<SequenceStep>();
        var ok = true;
        if (reader.Sequence(kind.Value, Messages.SequenceWhat) is { } list)
        {
            foreach (var item in list.Items)
            {
                if (Step(item, Messages.StepWhat) is { } step) steps.Add(step);
                else ok = false;
            }
        }
        else ok = false;
        Duration? within = null;
        if (mapping.Find("within") is { } withinEntry)
        {
            within = Duration(withinEntry.Value);
            ok &= within is not null;
        }
        var window = Window(mapping);
        SequenceStep? notFollowedBy = null;
        if (mapping.Find("not_followed_by") is { } nfb)
        {
            notFollowedBy = Step(nfb.Value, Messages.NotFollowedByWhat);
            ok &= notFollowedBy is not null;
        }
        if (!ok || window is null) return null;
        return new SequenceCondition(steps.ToImmutable(), within, window, notFollowedBy);
    }

    private SequenceStep? Step(DocNode node, string what)
    {
        if (reader.Mapping(node, what) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, StepKeys, what);
        var names = reader.Required(mapping, "event", what) is { } eventEntry ? reader.Names(eventEntry.Value, "event") : null;
        var model = OptionalName(mapping, "model");
        var where = Where(mapping, out var whereOk);
        Duration? gap = null;
        var gapOk = true;
        if (mapping.Find("within") is { } within)
        {
            gap = Duration(within.Value);
            gapOk = gap is not null;
        }
        if (names is null || !model.Ok || !whereOk || !gapOk) return null;
        var step = new SequenceStep(model.Value, names.Value, where, gap) { Location = mapping.Location };
        return SourceMap.Attach(step, mapping);
    }

    private RelationCondition? Relation(DocMapping mapping, DocEntry kind)
    {
        reader.RejectUnknownKeys(mapping, RelationKeys, Messages.RelationWhat);
        var path = RelationPath(kind.Value, "relation");
        var where = Where(mapping, out var whereOk);
        var window = Window(mapping);
        var measure = Measure(mapping);
        if (path is null || !whereOk || window is null || measure is null) return null;
        return new RelationCondition(path.Value, where, window, measure);
    }

    /// <summary>A relationship path: one name, a dotted string (<c>orders.items</c>) or a list of names.</summary>
    public ImmutableArray<string>? RelationPath(DocNode node, string what)
    {
        if (node is DocSequence) return reader.Names(node, what);
        if (reader.Name(node, what) is not { } text) return null;
        var steps = text.Split('.');
        if (steps.Any(s => s.Trim().Length == 0))
        {
            reader.Error(DiagnosticCodes.InvalidValue, Messages.InvalidPath(text), node.Location);
            return null;
        }
        return [.. steps.Select(s => s.Trim())];
    }

    /// <summary>The optional <c>where</c> of a mapping; <paramref name="ok"/> is false when it was present but unreadable.</summary>
    public Condition? Where(DocMapping mapping, out bool ok)
    {
        ok = true;
        if (mapping.Find("where") is not { } entry) return null;
        var where = Condition(entry.Value);
        ok = where is not null;
        return where;
    }

    private (bool Ok, string? Value) OptionalName(DocMapping mapping, string key)
    {
        if (mapping.Find(key) is not { } entry) return (true, null);
        var name = reader.Name(entry.Value, key);
        return (name is not null, name);
    }
}
