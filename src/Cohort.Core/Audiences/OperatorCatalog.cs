using System.Collections.Frozen;
using Cohort.Core.Schema;

namespace Cohort.Core.Audiences;

/// <summary>The shape of operand an operator takes.</summary>
public enum OperandShape
{
    /// <summary><c>is_set: true</c>: no value.</summary>
    None,
    Value,
    Values,
    Range,
    Relative,
    RelativeRange,
    Days,
}

/// <summary>
/// The operator table of docs/semantics.md: spellings, operand shapes and the column types each operator applies to.
/// </summary>
public static class OperatorCatalog
{
    private static readonly (string Name, PropertyOperator Operator)[] Spellings =
    [
        ("equals", PropertyOperator.Equals),
        ("eq", PropertyOperator.Equals),
        ("not_equals", PropertyOperator.NotEquals),
        ("ne", PropertyOperator.NotEquals),
        ("in", PropertyOperator.In),
        ("not_in", PropertyOperator.NotIn),
        ("contains", PropertyOperator.Contains),
        ("not_contains", PropertyOperator.NotContains),
        ("starts_with", PropertyOperator.StartsWith),
        ("ends_with", PropertyOperator.EndsWith),
        ("is_set", PropertyOperator.IsSet),
        ("is_not_set", PropertyOperator.IsNotSet),
        ("lt", PropertyOperator.LessThan),
        ("lte", PropertyOperator.LessOrEqual),
        ("gt", PropertyOperator.GreaterThan),
        ("gte", PropertyOperator.GreaterOrEqual),
        ("between", PropertyOperator.Between),
        ("is_true", PropertyOperator.IsTrue),
        ("is_false", PropertyOperator.IsFalse),
        ("before", PropertyOperator.Before),
        ("after", PropertyOperator.After),
        ("on", PropertyOperator.On),
        ("within_last", PropertyOperator.WithinLast),
        ("more_than_ago", PropertyOperator.MoreThanAgo),
        ("between_ago", PropertyOperator.BetweenAgo),
        ("within_next", PropertyOperator.WithinNext),
        ("anniversary_within_next", PropertyOperator.AnniversaryWithinNext),
        ("day_of_week", PropertyOperator.DayOfWeek),
        ("contains_any", PropertyOperator.ContainsAny),
        ("contains_all", PropertyOperator.ContainsAll),
    ];

    /// <summary>Every accepted spelling (<c>eq</c> and <c>equals</c> are the same operator).</summary>
    public static FrozenDictionary<string, PropertyOperator> ByName { get; } =
        Spellings.ToFrozenDictionary(s => s.Name, s => s.Operator, StringComparer.Ordinal);

    /// <summary>The spelling used when writing definitions: the first listed one.</summary>
    public static string NameOf(PropertyOperator op) => Spellings.First(s => s.Operator == op).Name;

    public static OperandShape ShapeOf(PropertyOperator op) => op switch
    {
        PropertyOperator.IsSet or PropertyOperator.IsNotSet or PropertyOperator.IsTrue or PropertyOperator.IsFalse => OperandShape.None,
        PropertyOperator.In or PropertyOperator.NotIn or PropertyOperator.ContainsAny or PropertyOperator.ContainsAll => OperandShape.Values,
        PropertyOperator.Between => OperandShape.Range,
        PropertyOperator.WithinLast or PropertyOperator.MoreThanAgo or PropertyOperator.WithinNext
            or PropertyOperator.AnniversaryWithinNext => OperandShape.Relative,
        PropertyOperator.BetweenAgo => OperandShape.RelativeRange,
        PropertyOperator.DayOfWeek => OperandShape.Days,
        _ => OperandShape.Value,
    };

    private static readonly FrozenSet<PropertyOperator> Presence = [PropertyOperator.IsSet, PropertyOperator.IsNotSet];

    private static readonly FrozenSet<PropertyOperator> StringOperators =
    [
        .. Presence, PropertyOperator.Equals, PropertyOperator.NotEquals, PropertyOperator.In, PropertyOperator.NotIn,
        PropertyOperator.Contains, PropertyOperator.NotContains, PropertyOperator.StartsWith, PropertyOperator.EndsWith,
    ];

    /// <summary>The tests an aggregate can be put to: <c>eq ne lt lte gt gte between</c>.</summary>
    public static FrozenSet<PropertyOperator> NumericComparisons { get; } =
    [
        PropertyOperator.Equals, PropertyOperator.NotEquals, PropertyOperator.LessThan, PropertyOperator.LessOrEqual,
        PropertyOperator.GreaterThan, PropertyOperator.GreaterOrEqual, PropertyOperator.Between,
    ];

    private static readonly FrozenSet<PropertyOperator> NumberOperators =
        [.. Presence, .. NumericComparisons, PropertyOperator.In, PropertyOperator.NotIn];

    private static readonly FrozenSet<PropertyOperator> BooleanOperators =
        [.. Presence, PropertyOperator.IsTrue, PropertyOperator.IsFalse, PropertyOperator.Equals, PropertyOperator.NotEquals];

    private static readonly FrozenSet<PropertyOperator> TemporalOperators =
    [
        .. Presence, PropertyOperator.Before, PropertyOperator.After, PropertyOperator.On, PropertyOperator.Equals,
        PropertyOperator.NotEquals, PropertyOperator.Between, PropertyOperator.WithinLast, PropertyOperator.MoreThanAgo,
        PropertyOperator.BetweenAgo, PropertyOperator.WithinNext, PropertyOperator.AnniversaryWithinNext, PropertyOperator.DayOfWeek,
    ];

    /// <summary>
    /// The tests an occurrence time (<c>first_occurred</c>, <c>last_occurred</c>) can be put to: the timestamp
    /// operators that are false when there is no occurrence (so no negations and no presence tests).
    /// </summary>
    public static FrozenSet<PropertyOperator> OccurrenceOperators { get; } =
    [
        PropertyOperator.Before, PropertyOperator.After, PropertyOperator.On, PropertyOperator.Equals, PropertyOperator.Between,
        PropertyOperator.WithinLast, PropertyOperator.MoreThanAgo, PropertyOperator.BetweenAgo, PropertyOperator.WithinNext,
        PropertyOperator.AnniversaryWithinNext, PropertyOperator.DayOfWeek,
    ];

    private static readonly FrozenSet<PropertyOperator> ArrayOperators =
        [.. Presence, PropertyOperator.ContainsAny, PropertyOperator.ContainsAll];

    /// <summary>The operators that apply to a value of <paramref name="type"/>.</summary>
    public static FrozenSet<PropertyOperator> For(DataType type)
    {
        if (type.IsArray) return ArrayOperators;
        return type.Element switch
        {
            ScalarType.String => StringOperators,
            ScalarType.Integer or ScalarType.Number => NumberOperators,
            ScalarType.Boolean => BooleanOperators,
            _ => TemporalOperators,
        };
    }

    public static bool AppliesTo(PropertyOperator op, DataType type) => For(type).Contains(op);

    /// <summary>The spellings of the operators that apply to <paramref name="type"/>, in the documented order.</summary>
    public static IReadOnlyList<string> NamesFor(DataType type)
    {
        var valid = For(type);
        return [.. Spellings.Where(s => valid.Contains(s.Operator)).Select(s => s.Operator).Distinct().Select(NameOf)];
    }
}
