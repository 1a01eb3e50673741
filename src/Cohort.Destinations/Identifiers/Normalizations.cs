using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace Cohort.Destinations.Identifiers;

/// <summary>The outcome of normalising one raw value: the normalised text, or why it is unusable (never the value itself).</summary>
public readonly record struct NormalizationResult(string? Value, string? Error)
{
    public bool IsValid => Value is not null;

    public static NormalizationResult Ok(string value) => new(value, null);

    public static NormalizationResult Fail(string reason) => new(null, reason);
}

/// <summary>Which email domains a local-part rule applies to.</summary>
public enum EmailDomainScope
{
    /// <summary>The rule is not applied.</summary>
    None,
    /// <summary>Only <c>gmail.com</c> (UID2 convention).</summary>
    Gmail,
    /// <summary><c>gmail.com</c> and <c>googlemail.com</c> (Google Data Manager).</summary>
    GmailAndGooglemail,
    /// <summary>Every domain (TikTok's <c>+tag</c> rule).</summary>
    AllDomains,
}

public enum PhoneFormat
{
    /// <summary>E.164 with the leading plus: <c>+16505551212</c> (Google, Data Manager, UID2, Klaviyo).</summary>
    E164WithPlus,
    /// <summary>E.164 digits without the plus: <c>16505551212</c> (Meta, TikTok's published hash).</summary>
    E164DigitsOnly,
}

public enum WhitespaceRule
{
    /// <summary>Trim both ends only.</summary>
    Trim,
    /// <summary>Trim and collapse inner runs of whitespace to one space.</summary>
    Collapse,
    /// <summary>Remove all whitespace.</summary>
    Remove,
}

public enum CountryCase
{
    Upper,
    Lower,
}

public enum DateOrder
{
    /// <summary><c>2/16/1997</c> is 16 February (US order, Meta's example).</summary>
    MonthFirst,
    /// <summary><c>16/2/1997</c> is 16 February.</summary>
    DayFirst,
}

/// <summary>
/// A declarative normalisation rule for one identifier kind. Every rule first applies Unicode NFC and trims;
/// results are never logged and error reasons never contain the value.
/// </summary>
public abstract record IdentifierNormalization
{
    public abstract NormalizationResult Apply(string raw);

    private protected static string Prepare(string raw) => raw.Normalize(NormalizationForm.FormC).Trim();
}

/// <summary>Email: trim, lowercase, optional removal of inner whitespace, local-part dots and <c>+tag</c>s.</summary>
public sealed record EmailNormalization(
    EmailDomainScope RemoveDots = EmailDomainScope.None,
    EmailDomainScope RemovePlusTag = EmailDomainScope.None,
    bool RemoveInnerWhitespace = false) : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw).ToLowerInvariant();
        if (RemoveInnerWhitespace) value = string.Concat(value.Where(c => !char.IsWhiteSpace(c)));
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
            return NormalizationResult.Fail("email: not an address (needs exactly one '@' with text on both sides)");
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (value.Any(char.IsWhiteSpace)) return NormalizationResult.Fail("email: contains whitespace");
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.'))
            return NormalizationResult.Fail("email: the domain is not a valid host name");
        if (Applies(RemovePlusTag, domain))
        {
            var plus = local.IndexOf('+');
            if (plus >= 0) local = local[..plus];
        }
        if (Applies(RemoveDots, domain)) local = local.Replace(".", "", StringComparison.Ordinal);
        if (local.Length == 0) return NormalizationResult.Fail("email: the local part is empty after normalisation");
        return NormalizationResult.Ok(local + "@" + domain);
    }

    private static bool Applies(EmailDomainScope scope, string domain) => scope switch
    {
        EmailDomainScope.None => false,
        EmailDomainScope.Gmail => domain == "gmail.com",
        EmailDomainScope.GmailAndGooglemail => domain is "gmail.com" or "googlemail.com",
        EmailDomainScope.AllDomains => true,
        _ => false,
    };
}

/// <summary>
/// Phone: parsed with libphonenumber (numbers without a country code are read in <see cref="DefaultRegion"/>),
/// checked to be a possible number (or a valid one when <see cref="RequireValid"/>), written as E.164.
/// </summary>
public sealed record PhoneNormalization(
    PhoneFormat Format = PhoneFormat.E164WithPlus,
    string DefaultRegion = "US",
    bool RequireValid = false) : IdentifierNormalization
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw);
        if (value.Length == 0 || !value.Any(char.IsAsciiDigit)) return NormalizationResult.Fail("phone: no digits");
        var number = TryParse(value, DefaultRegion);
        // Digits that already carry a country code but no '+' (Meta's own format) parse as a national number of the
        // default region and fail the length check; read them once more as international.
        if ((number is null || !Accept(number)) && !value.StartsWith('+') && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.'))
        {
            var international = TryParse("+" + value, DefaultRegion);
            if (international is not null && Accept(international)) number = international;
        }
        if (number is null) return NormalizationResult.Fail("phone: cannot be parsed as a phone number");
        if (!Accept(number))
            return NormalizationResult.Fail(RequireValid ? "phone: not a valid number for its region" : "phone: not a possible number (wrong length for its country)");
        var e164 = Util.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
        return NormalizationResult.Ok(Format == PhoneFormat.E164WithPlus ? e164 : e164.TrimStart('+'));
    }

    private bool Accept(PhoneNumber number) => RequireValid ? Util.IsValidNumber(number) : Util.IsPossibleNumber(number);

    private static PhoneNumber? TryParse(string value, string region)
    {
        try
        {
            return Util.Parse(value, region);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}

/// <summary>First or last name.</summary>
public sealed record NameNormalization(
    WhitespaceRule Whitespace = WhitespaceRule.Collapse,
    bool RemovePunctuation = false,
    bool LettersOnly = false,
    bool RemovePrefixesAndSuffixes = false) : IdentifierNormalization
{
    private static readonly HashSet<string> Affixes =
    [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame",
        "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq",
    ];

    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw).ToLower(CultureInfo.InvariantCulture);
        if (RemovePrefixesAndSuffixes)
        {
            var words = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Where(w => !Affixes.Contains(w.Trim('.', ',')))
                .ToArray();
            value = string.Join(' ', words);
        }
        if (LettersOnly) value = string.Concat(value.Where(char.IsLetter));
        else
        {
            if (RemovePunctuation) value = string.Concat(value.Where(c => !char.IsPunctuation(c) && !char.IsSymbol(c)));
            value = ApplyWhitespace(value, Whitespace);
        }
        return value.Length == 0 ? NormalizationResult.Fail("name: empty after normalisation") : NormalizationResult.Ok(value);
    }

    internal static string ApplyWhitespace(string value, WhitespaceRule rule) => rule switch
    {
        WhitespaceRule.Trim => value.Trim(),
        WhitespaceRule.Collapse => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
        WhitespaceRule.Remove => string.Concat(value.Where(c => !char.IsWhiteSpace(c))),
        _ => value,
    };
}

/// <summary>City: lowercase; Meta wants letters only (<c>New York</c> → <c>newyork</c>).</summary>
public sealed record CityNormalization(bool LettersOnly = true) : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw).ToLower(CultureInfo.InvariantCulture);
        value = LettersOnly ? string.Concat(value.Where(char.IsLetter)) : NameNormalization.ApplyWhitespace(value, WhitespaceRule.Collapse);
        return value.Length == 0 ? NormalizationResult.Fail("city: empty after normalisation") : NormalizationResult.Ok(value);
    }
}

/// <summary>State: US state names become their two-letter code; anything else is lowercased letters only.</summary>
public sealed record StateNormalization(bool Lowercase = true) : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw);
        var letters = string.Concat(value.Where(char.IsLetter)).ToLower(CultureInfo.InvariantCulture);
        if (letters.Length == 0) return NormalizationResult.Fail("state: empty after normalisation");
        if (UsStates.TryGetCode(value, out var code)) letters = code.ToLowerInvariant();
        return NormalizationResult.Ok(Lowercase ? letters : letters.ToUpperInvariant());
    }
}

/// <summary>
/// Zip / postal code. US ZIP+4 values are cut to five digits when <see cref="UsFiveDigits"/>; other codes are
/// lowercased with spaces and dashes removed (<c>M1 1AE</c> → <c>m11ae</c>) when <see cref="Compact"/>.
/// </summary>
public sealed record ZipNormalization(bool UsFiveDigits = true, bool Compact = true, bool Lowercase = true) : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw);
        if (value.Length == 0) return NormalizationResult.Fail("zip: empty");
        if (UsFiveDigits && IsUsZip(value)) return NormalizationResult.Ok(value[..5]);
        if (Compact) value = string.Concat(value.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        if (Lowercase) value = value.ToLowerInvariant();
        if (value.Length == 0 || !value.All(char.IsLetterOrDigit) && Compact)
            return NormalizationResult.Fail("zip: contains characters other than letters and digits");
        return NormalizationResult.Ok(value);
    }

    private static bool IsUsZip(string value) =>
        value.Length is 5 or 10 && value[..5].All(char.IsAsciiDigit)
        && (value.Length == 5 || value[5] == '-' && value[6..].All(char.IsAsciiDigit));
}

/// <summary>Country: ISO 3166-1 alpha-2 from a code (alpha-2 or alpha-3) or an English / native country name.</summary>
public sealed record CountryNormalization(CountryCase Case = CountryCase.Upper) : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        if (!Countries.TryGetAlpha2(Prepare(raw), out var code)) return NormalizationResult.Fail("country: not a known ISO 3166-1 country");
        return NormalizationResult.Ok(Case == CountryCase.Upper ? code : code.ToLowerInvariant());
    }
}

/// <summary>Date of birth, normalised to <c>yyyyMMdd</c> (platforms that want parts split it).</summary>
public sealed record DateOfBirthNormalization(DateOrder SlashOrder = DateOrder.MonthFirst) : IdentifierNormalization
{
    private static readonly string[] IsoFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "yyyy.MM.dd", "yyyy-M-d", "yyyy/M/d"];

    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw);
        var t = value.IndexOf('T');
        if (t == 10) value = value[..10];
        if (!TryParse(value, out var date)) return NormalizationResult.Fail("date of birth: not a recognised date");
        if (date.Year < 1900) return NormalizationResult.Fail("date of birth: year before 1900");
        return NormalizationResult.Ok(date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
    }

    private bool TryParse(string value, out DateOnly date)
    {
        if (DateOnly.TryParseExact(value, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        string[] slash = SlashOrder == DateOrder.MonthFirst
            ? ["M/d/yyyy", "M-d-yyyy", "M.d.yyyy"]
            : ["d/M/yyyy", "d-M-yyyy", "d.M.yyyy"];
        return DateOnly.TryParseExact(value, slash, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}

/// <summary>Gender as one letter, <c>f</c> or <c>m</c>.</summary>
public sealed record GenderNormalization : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw) => Prepare(raw).ToLowerInvariant() switch
    {
        "f" or "female" or "w" or "woman" => NormalizationResult.Ok("f"),
        "m" or "male" or "man" => NormalizationResult.Ok("m"),
        _ => NormalizationResult.Fail("gender: not f/female or m/male"),
    };
}

/// <summary>A value sent as is apart from trimming (and optional lowercasing): mobile ad ids, external ids, raw UID2s.</summary>
public sealed record PlainNormalization(bool Lowercase = false, string Label = "value") : IdentifierNormalization
{
    public override NormalizationResult Apply(string raw)
    {
        var value = Prepare(raw);
        if (Lowercase) value = value.ToLowerInvariant();
        return value.Length == 0 ? NormalizationResult.Fail(Label + ": empty") : NormalizationResult.Ok(value);
    }
}
