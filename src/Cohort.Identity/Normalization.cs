using Cohort.Core.Identity;
using PhoneNumbers;

namespace Cohort.Identity;

/// <summary>
/// The SQL expression that normalises one identifier's raw text (the same on DuckDB and PostgreSQL), or NULL when
/// nothing usable is left. docs/identity.md lists the rules per type.
/// </summary>
internal static class Normalization
{
    /// <summary>The country calling code of a region (libphonenumber), e.g. US → 1, GB → 44; 0 when unknown.</summary>
    public static int CallingCode(string region) => PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(region);

    public static bool IsKnownRegion(string region) => PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region);

    /// <summary><paramref name="raw"/> is a SQL expression of type text.</summary>
    public static string Expression(IdentifierDefinition identifier, string raw)
    {
        var t = $"trim({raw})";
        var empty = $"NULLIF({t}, '')";
        return identifier.Type switch
        {
            IdentifierType.Email => Email(identifier, $"lower({empty})"),
            IdentifierType.Phone => Phone(identifier, empty),
            IdentifierType.AnonymousId or IdentifierType.DeviceId => $"lower({empty})",
            _ => empty,
        };
    }

    private static string Email(IdentifierDefinition identifier, string lowered)
    {
        // local part and domain; an address needs exactly one '@' with text on both sides and a dot in the domain.
        var local = $"split_part({lowered}, '@', 1)";
        var domain = $"split_part({lowered}, '@', 2)";
        var normalizedLocal = local;
        if (identifier.StripPlus) normalizedLocal = $"regexp_replace({normalizedLocal}, '\\+.*$', '')";
        if (identifier.Gmail)
        {
            var gmailLocal = $"replace(regexp_replace({local}, '\\+.*$', ''), '.', '')";
            normalizedLocal = $"CASE WHEN {domain} IN ('gmail.com', 'googlemail.com') THEN {gmailLocal} ELSE {normalizedLocal} END";
            domain = $"CASE WHEN {domain} = 'googlemail.com' THEN 'gmail.com' ELSE {domain} END";
        }
        var valid = $"(length({lowered}) - length(replace({lowered}, '@', '')) = 1 AND {local} <> '' AND strpos({domain}, '.') > 1 AND strpos({lowered}, ' ') = 0)";
        return $"CASE WHEN {valid} THEN {normalizedLocal} || '@' || {domain} END";
    }

    private static string Phone(IdentifierDefinition identifier, string trimmed)
    {
        var code = CallingCode(identifier.DefaultRegion ?? "US").ToString(System.Globalization.CultureInfo.InvariantCulture);
        var digits = $"regexp_replace({trimmed}, '[^0-9]', '', 'g')";
        // +CC..., 00CC..., 0 + national (trunk prefix), CC + national when longer than a national number, else national.
        var e164 = $"""
            CASE
                WHEN {trimmed} LIKE '+%' THEN '+' || {digits}
                WHEN {digits} LIKE '00%' THEN '+' || substr({digits}, 3)
                WHEN {digits} LIKE '0%' THEN '+{code}' || substr({digits}, 2)
                WHEN {digits} LIKE '{code}%' AND length({digits}) > 10 THEN '+' || {digits}
                ELSE '+{code}' || {digits}
            END
            """;
        // E.164 allows at most 15 digits; fewer than 8 is no phone number anywhere.
        return $"CASE WHEN length({digits}) BETWEEN 7 AND 15 AND length({digits}) * 2 >= length({trimmed}) THEN {e164} END";
    }
}
