using System.Globalization;

namespace Cohort.Core.Documents;

/// <summary>What a scalar means by itself, before it is bound to a column.</summary>
public enum ScalarKind
{
    Null,
    Boolean,
    Number,
    String,
}

/// <summary>
/// The typing rules for scalars. Plain YAML scalars are booleans when they are <c>true</c>/<c>false</c>
/// (any of YAML's three capitalisations), numbers when their decimal text round-trips exactly (so <c>00123</c>
/// and <c>1e3</c> stay text), null when empty, <c>~</c> or <c>null</c>, and text otherwise. Quoted scalars are
/// always text; JSON scalars carry their own type.
/// </summary>
public static class ScalarKinds
{
    public static ScalarKind Of(DocScalar scalar) => scalar.Style switch
    {
        ScalarStyle.Quoted => ScalarKind.String,
        ScalarStyle.Number => ScalarKind.Number,
        ScalarStyle.Boolean => ScalarKind.Boolean,
        ScalarStyle.Null => ScalarKind.Null,
        _ => OfPlain(scalar.Text),
    };

    public static ScalarKind OfPlain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (TryBoolean(text, out _)) return ScalarKind.Boolean;
        if (TryRoundTripNumber(text, out _)) return ScalarKind.Number;
        return ScalarKind.String;
    }

    public static bool TryBoolean(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A decimal whose invariant text is exactly <paramref name="text"/>.</summary>
    public static bool TryRoundTripNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && value.ToString(CultureInfo.InvariantCulture) == text;

    /// <summary>Any decimal text, including exponents (JSON numbers).</summary>
    public static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
