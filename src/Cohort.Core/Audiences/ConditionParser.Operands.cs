using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>Operators, operands, literals, durations and day names.</summary>
internal sealed partial class ConditionParser
{
    private static readonly FrozenDictionary<string, TimeUnit> Units = new Dictionary<string, TimeUnit>(StringComparer.OrdinalIgnoreCase)
    {
        ["second"] = TimeUnit.Second, ["seconds"] = TimeUnit.Second,
        ["minute"] = TimeUnit.Minute, ["minutes"] = TimeUnit.Minute,
        ["hour"] = TimeUnit.Hour, ["hours"] = TimeUnit.Hour,
        ["day"] = TimeUnit.Day, ["days"] = TimeUnit.Day,
        ["week"] = TimeUnit.Week, ["weeks"] = TimeUnit.Week,
        ["month"] = TimeUnit.Month, ["months"] = TimeUnit.Month,
        ["year"] = TimeUnit.Year, ["years"] = TimeUnit.Year,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, DayOfWeek> DayNames = new Dictionary<string, DayOfWeek>(StringComparer.OrdinalIgnoreCase)
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["wed"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["sat"] = DayOfWeek.Saturday,
        ["sunday"] = DayOfWeek.Sunday, ["sun"] = DayOfWeek.Sunday,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> DurationKeys = ["amount", "unit"];

    /// <summary>Spellings people reach for from SQL or other tools, mapped to ours (used only for suggestions).</summary>
    private static readonly FrozenDictionary<string, string> OperatorAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["=="] = "equals", ["="] = "equals", ["is"] = "equals",
        ["!="] = "not_equals", ["<>"] = "not_equals", ["not"] = "not_equals",
        ["<"] = "lt", ["less_than"] = "lt", ["less"] = "lt",
        ["<="] = "lte", ["less_than_or_equal"] = "lte", ["less_or_equal"] = "lte", ["at_most"] = "lte",
        [">"] = "gt", ["greater_than"] = "gt", ["greater"] = "gt",
        [">="] = "gte", ["greater_than_or_equal"] = "gte", ["greater_or_equal"] = "gte", ["at_least"] = "gte",
        ["is_null"] = "is_not_set", ["null"] = "is_not_set", ["missing"] = "is_not_set",
        ["is_not_null"] = "is_set", ["not_null"] = "is_set", ["exists"] = "is_set", ["present"] = "is_set",
        ["like"] = "contains", ["includes"] = "contains", ["begins_with"] = "starts_with", ["prefix"] = "starts_with", ["suffix"] = "ends_with",
        ["one_of"] = "in", ["any_of"] = "in", ["not_one_of"] = "not_in", ["none_of"] = "not_in",
        ["since"] = "after", ["until"] = "before", ["in_last"] = "within_last", ["last"] = "within_last",
        ["older_than"] = "more_than_ago", ["ago"] = "more_than_ago", ["in_next"] = "within_next",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<string> SuggestOperators(string written)
    {
        var nearest = NameSuggester.Nearest(written, OperatorCatalog.ByName.Keys.Order(StringComparer.Ordinal));
        return OperatorAliases.TryGetValue(written, out var alias) ? [alias, .. nearest.Where(n => n != alias).Take(2)] : nearest;
    }

    /// <summary>
    /// The one operator of a mapping whose other keys are <paramref name="otherKeys"/> (reported as unknown
    /// operators otherwise), with its operand.
    /// </summary>
    public PropertyTest? Test(DocMapping mapping, IReadOnlyCollection<string> otherKeys, string what)
    {
        DocEntry? chosen = null;
        var ok = true;
        foreach (var entry in mapping.Entries)
        {
            if (otherKeys.Contains(entry.Key)) continue;
            if (!OperatorCatalog.ByName.ContainsKey(entry.Key))
            {
                reader.Error(DiagnosticCodes.UnknownOperator, Messages.UnknownOperator(entry.Key, what), entry.KeyLocation,
                    SuggestOperators(entry.Key));
                ok = false;
            }
            else if (chosen is null) chosen = entry;
            else
            {
                reader.Error(DiagnosticCodes.ConflictingKeys, Messages.TwoOperators(chosen.Key, entry.Key), entry.KeyLocation);
                ok = false;
            }
        }
        if (chosen is null)
        {
            if (ok) reader.Error(DiagnosticCodes.MissingKey, Messages.MissingOperator(what), mapping.Location);
            return null;
        }
        var test = Test(OperatorCatalog.ByName[chosen.Key], chosen);
        return ok ? test : null;
    }

    private PropertyTest? Test(PropertyOperator op, DocEntry entry)
    {
        var node = entry.Value;
        switch (OperatorCatalog.ShapeOf(op))
        {
            case OperandShape.None:
                if (reader.Boolean(node, entry.Key) is not { } flag) return null;
                if (flag) return new PropertyTest(op, Operand.None.Instance);
                if (op is PropertyOperator.IsSet or PropertyOperator.IsNotSet)
                    return new PropertyTest(op == PropertyOperator.IsSet ? PropertyOperator.IsNotSet : PropertyOperator.IsSet, Operand.None.Instance);
                reader.Error(DiagnosticCodes.InvalidValue, Messages.FlagMustBeTrue(entry.Key), node.Location);
                return null;
            case OperandShape.Value:
                if (node is not DocScalar)
                {
                    reader.Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedOneValue(entry.Key, NodeReader.Describe(node)), node.Location);
                    return null;
                }
                return Literal(node, entry.Key) is { } value ? new PropertyTest(op, new Operand.Value(value)) : null;
            case OperandShape.Values:
                return Literals(node, entry.Key) is { } values ? new PropertyTest(op, new Operand.Values(values)) : null;
            case OperandShape.Range:
                return Pair(node, entry.Key, Literal) is var (low, high) ? new PropertyTest(op, new Operand.Range(low, high)) : null;
            case OperandShape.Relative:
                return Duration(node) is { } duration ? new PropertyTest(op, new Operand.Relative(duration)) : null;
            case OperandShape.RelativeRange:
                return DurationPair(node, entry.Key) is var (near, far) ? new PropertyTest(op, new Operand.RelativeRange(near, far)) : null;
            default:
                return Days(node) is { } days ? new PropertyTest(op, new Operand.Days(days)) : null;
        }
    }

    /// <summary>A scalar as an untyped literal: text, number or boolean (never null).</summary>
    public Literal? Literal(DocNode node, string what)
    {
        if (node is not DocScalar scalar)
        {
            reader.Error(DiagnosticCodes.WrongNodeKind, Messages.ExpectedOneValue(what, NodeReader.Describe(node)), node.Location);
            return null;
        }
        switch (ScalarKinds.Of(scalar))
        {
            case ScalarKind.Null:
                reader.Error(DiagnosticCodes.InvalidValue, Messages.NullValue(what), node.Location);
                return null;
            case ScalarKind.Boolean:
                return new Literal.Boolean(ScalarKinds.TryBoolean(scalar.Text, out var flag) && flag);
            case ScalarKind.Number when ScalarKinds.TryNumber(scalar.Text, out var number):
                return new Literal.Number(number);
            case ScalarKind.Number:
                reader.Error(DiagnosticCodes.InvalidValue, Messages.NumberOutOfRange(scalar.Text), node.Location);
                return null;
            default:
                return new Literal.String(scalar.Text);
        }
    }

    private ImmutableArray<Literal>? Literals(DocNode node, string what)
    {
        if (reader.Sequence(node, what) is not { } list) return null;
        var values = ImmutableArray.CreateBuilder<Literal>(list.Items.Count);
        var ok = true;
        foreach (var item in list.Items)
        {
            if (item is DocScalar { IsNull: true })
            {
                reader.Error(DiagnosticCodes.InvalidValueList, Messages.NullInList(what), item.Location);
                ok = false;
            }
            else if (Literal(item, what) is { } value) values.Add(value);
            else ok = false;
        }
        return ok ? values.MoveToImmutable() : null;
    }

    private (T, T)? Pair<T>(DocNode node, string what, Func<DocNode, string, T?> item) where T : class
    {
        if (reader.Sequence(node, what) is not { } list) return null;
        if (list.Items.Count != 2)
        {
            reader.Error(DiagnosticCodes.InvalidValue, Messages.ExpectedPair(what, list.Items.Count), node.Location);
            return null;
        }
        var first = item(list.Items[0], what);
        var second = item(list.Items[1], what);
        return first is null || second is null ? null : (first, second);
    }

    public (Duration, Duration)? DurationPair(DocNode node, string what)
    {
        if (reader.Sequence(node, what) is not { } list) return null;
        if (list.Items.Count != 2)
        {
            reader.Error(DiagnosticCodes.InvalidValue, Messages.ExpectedPair(what, list.Items.Count), node.Location);
            return null;
        }
        var near = Duration(list.Items[0]);
        var far = Duration(list.Items[1]);
        return near is null || far is null ? null : (near.Value, far.Value);
    }

    public (Literal, Literal)? LiteralPair(DocNode node, string what) => Pair(node, what, Literal);

    /// <summary>A duration: <c>"30 days"</c>, <c>"1 hour"</c> or <c>{amount: 30, unit: day}</c>.</summary>
    public Duration? Duration(DocNode node)
    {
        if (node is DocMapping mapping)
        {
            reader.RejectUnknownKeys(mapping, DurationKeys, Messages.DurationWhat);
            var amountEntry = reader.Required(mapping, "amount", Messages.DurationWhat);
            var unitEntry = reader.Required(mapping, "unit", Messages.DurationWhat);
            var amount = amountEntry is null ? null : reader.Integer(amountEntry.Value, "amount");
            var unitText = unitEntry is null ? null : reader.Text(unitEntry.Value, "unit");
            var unit = unitText is null ? null : Unit(unitText, unitEntry!.Value.Location);
            return amount is null || unit is null ? null : new Duration(amount.Value, unit.Value);
        }
        if (node is DocScalar scalar && !scalar.IsNull)
        {
            var match = DurationText().Match(scalar.Text);
            if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            {
                reader.Error(DiagnosticCodes.InvalidValue, Messages.NotADuration(scalar.Text), node.Location);
                return null;
            }
            return Unit(match.Groups[2].Value, node.Location) is { } unit ? new Duration(amount, unit) : null;
        }
        reader.Error(DiagnosticCodes.WrongNodeKind, Messages.NotADuration(NodeReader.Describe(node)), node.Location);
        return null;
    }

    private TimeUnit? Unit(string text, SourceLocation location)
    {
        if (Units.TryGetValue(text.Trim(), out var unit)) return unit;
        reader.Error(DiagnosticCodes.InvalidValue, Messages.UnknownUnit(text), location,
            NameSuggester.Nearest(text, Units.Keys.Where(k => k.EndsWith('s')).Order(StringComparer.Ordinal)));
        return null;
    }

    private ImmutableArray<DayOfWeek>? Days(DocNode node)
    {
        if (reader.Sequence(node, "day_of_week") is not { } list) return null;
        var days = new List<DayOfWeek>();
        var ok = true;
        foreach (var item in list.Items)
        {
            if (reader.Text(item, "day_of_week") is not { } text)
            {
                ok = false;
                continue;
            }
            if (DayNames.TryGetValue(text.Trim(), out var day))
            {
                if (!days.Contains(day)) days.Add(day);
                continue;
            }
            reader.Error(DiagnosticCodes.InvalidValue, Messages.UnknownDay(text), item.Location,
                NameSuggester.Nearest(text, DayNames.Keys.Where(k => k.Length > 3).Order(StringComparer.Ordinal)));
            ok = false;
        }
        return ok ? [.. days] : null;
    }

    [GeneratedRegex(@"^\s*([+-]?\d+)\s*([A-Za-z]+)\s*$")]
    private static partial Regex DurationText();
}
