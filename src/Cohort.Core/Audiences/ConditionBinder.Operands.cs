using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Audiences;

/// <summary>Operator tests and literals: which operators apply to a type, and literals typed for it.</summary>
internal sealed partial class ConditionBinder
{
    /// <summary>Checks a test against the type of the value it tests and types its literals.</summary>
    private PropertyTest Test(PropertyTest test, DataType type, Site site, string subject)
    {
        var op = test.Operator;
        var written = site.Key(k => OperatorCatalog.ByName.ContainsKey(k), OperatorCatalog.NameOf(op));
        if (!OperatorCatalog.AppliesTo(op, type))
        {
            var valid = OperatorCatalog.NamesFor(type);
            Error(DiagnosticCodes.OperatorNotValidForType, Messages.OperatorNotValid(written, subject, valid), site.At(written),
                NameSuggester.Nearest(written, valid));
            return test;
        }
        return test with { Operand = Operand(op, test.Operand, type, site.At(written), subject, written) };
    }

    private Operand Operand(PropertyOperator op, Operand operand, DataType type, SourceLocation? at, string subject, string written)
    {
        var element = new DataType(type.Element);
        switch (OperatorCatalog.ShapeOf(op), operand)
        {
            case (OperandShape.None, Audiences.Operand.None):
                return operand;
            case (OperandShape.Value, Operand.Value value):
                return value with { Literal = Literal(value.Literal, element, op, at, subject) };
            case (OperandShape.Values, Operand.Values values):
                if (values.Literals.IsDefaultOrEmpty)
                {
                    Error(DiagnosticCodes.InvalidValueList, Messages.EmptyValueList(written), at);
                    return operand;
                }
                return values with { Literals = [.. values.Literals.Select(l => Literal(l, element, op, at, subject))] };
            case (OperandShape.Range, Operand.Range range):
            {
                var low = Literal(range.Low, element, op, at, subject);
                var high = Literal(range.High, element, op, at, subject);
                if (Compare(low, high) > 0)
                    Error(DiagnosticCodes.InvalidRange, Messages.RangeReversed(low.ToInvariantString(), high.ToInvariantString()), at);
                return new Operand.Range(low, high);
            }
            case (OperandShape.Relative, Operand.Relative relative):
                CheckDuration(relative.Duration, type, at, op == PropertyOperator.AnniversaryWithinNext);
                return operand;
            case (OperandShape.RelativeRange, Operand.RelativeRange range):
                CheckDuration(range.Near, type, at, daysOrWeeksOnly: false);
                CheckDuration(range.Far, type, at, daysOrWeeksOnly: false);
                CheckAgoRange(range.Near, range.Far, at);
                return operand;
            case (OperandShape.Days, Operand.Days days):
                if (days.DaysOfWeek.IsDefaultOrEmpty)
                    Error(DiagnosticCodes.InvalidValueList, Messages.EmptyValueList(written), at);
                return operand;
            default:
                Error(DiagnosticCodes.InvalidValue, Messages.OperandShapeMismatch(written, OperatorCatalog.ShapeOf(op)), at);
                return operand;
        }
    }

    private void CheckDuration(Duration duration, DataType type, SourceLocation? at, bool daysOrWeeksOnly)
    {
        if (duration.Amount < 0)
            Error(DiagnosticCodes.NegativeAmount, Messages.NegativeDuration(duration), at);
        if (daysOrWeeksOnly && duration.Unit is not (TimeUnit.Day or TimeUnit.Week))
            Error(DiagnosticCodes.UnitNotAllowed, Messages.AnniversaryUnit(duration), at, ["days", "weeks"]);
        else if (type.Element == ScalarType.Date && duration.Unit is TimeUnit.Second or TimeUnit.Minute or TimeUnit.Hour)
            Error(DiagnosticCodes.UnitNotAllowed, Messages.DateColumnUnit(duration), at, ["days", "weeks", "months", "years"]);
    }

    private void CheckAgoRange(Duration near, Duration far, SourceLocation? at)
    {
        if (near.Unit != far.Unit)
            Error(DiagnosticCodes.InvalidRange, Messages.AgoUnitsDiffer(near, far), at);
        else if (near.Amount > far.Amount)
            Error(DiagnosticCodes.InvalidRange, Messages.AgoRangeReversed(near, far), at);
    }

    /// <summary>A literal typed for a value of <paramref name="type"/> (a scalar type; arrays pass their element type).</summary>
    private Literal Literal(Literal literal, DataType type, PropertyOperator op, SourceLocation? at, string subject)
    {
        switch (type.Element)
        {
            case ScalarType.String:
                if (literal is Literal.String) return literal;
                if (literal is Literal.Number number) return new Literal.String(number.ToInvariantString());
                break;
            case ScalarType.Integer or ScalarType.Number:
                if (literal is Literal.Number) return literal;
                if (literal is Literal.String text && ScalarKinds.TryNumber(text.Value.Trim(), out var parsed)) return new Literal.Number(parsed);
                break;
            case ScalarType.Boolean:
                if (literal is Literal.Boolean) return literal;
                if (literal is Literal.String flag && ScalarKinds.TryBoolean(flag.Value.Trim(), out var value)) return new Literal.Boolean(value);
                break;
            default:
                return Temporal(literal, type.Element == ScalarType.Timestamp && op != PropertyOperator.On, at, subject);
        }
        Error(DiagnosticCodes.ValueTypeMismatch, Messages.WrongValueType(literal.ToInvariantString(), subject, type), at);
        return literal;
    }

    /// <summary>A date, or (when <paramref name="timestampAllowed"/>) a timestamp with a zone designator, as UTC.</summary>
    private Literal Temporal(Literal literal, bool timestampAllowed, SourceLocation? at, string subject)
    {
        if (literal is Literal.Date || (literal is Literal.Timestamp && timestampAllowed)) return literal;
        if (literal is Literal.String text)
        {
            switch (TemporalText.Parse(text.Value, out var date, out var utc))
            {
                case TemporalText.Kind.Date:
                    return new Literal.Date(date);
                case TemporalText.Kind.Timestamp when timestampAllowed:
                    return new Literal.Timestamp(utc);
                case TemporalText.Kind.TimestampWithoutZone when timestampAllowed:
                    Error(DiagnosticCodes.InvalidValue, Messages.TimestampWithoutZone(text.Value), at);
                    return literal;
            }
        }
        Error(DiagnosticCodes.ValueTypeMismatch, Messages.WrongTemporalValue(literal.ToInvariantString(), subject, timestampAllowed), at);
        return literal;
    }

    /// <summary>Orders two literals of the same kind; null when they cannot be compared without a time zone.</summary>
    private static int? Compare(Literal a, Literal b) => (a, b) switch
    {
        (Literal.Number x, Literal.Number y) => x.Value.CompareTo(y.Value),
        (Literal.Date x, Literal.Date y) => x.Value.CompareTo(y.Value),
        (Literal.Timestamp x, Literal.Timestamp y) => x.Value.CompareTo(y.Value),
        (Literal.String x, Literal.String y) => string.CompareOrdinal(x.Value, y.Value),
        _ => null,
    };

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
