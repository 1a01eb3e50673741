using System.Globalization;

namespace Cohort.Core.Privacy;

/// <summary>
/// Masks values of columns flagged <c>pii</c> for people who may not see them: enough shape to recognise a value's
/// kind (an email stays an email), never enough to identify anyone. NULL stays NULL so gaps remain visible.
/// </summary>
public static class PiiMask
{
    public const string Hidden = "•••";

    public static object? Mask(object? value) => value switch
    {
        null => null,
        string s when s.Length == 0 => "",
        string s when s.IndexOf('@') is var at and > 0 && at < s.Length - 1 => MaskEmail(s, at),
        string s => FirstLetter(s) + Hidden,
        _ => Hidden,
    };

    private static string MaskEmail(string email, int at)
    {
        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var tld = dot > 0 ? domain[dot..] : "";
        return $"{FirstLetter(email)}{Hidden}@{FirstLetter(domain)}{Hidden}{tld}";
    }

    private static string FirstLetter(string s) =>
        StringInfo.GetNextTextElementLength(s) is var n and > 0 ? s[..n] : "";
}
