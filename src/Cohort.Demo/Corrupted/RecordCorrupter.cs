using System.Globalization;
using static Cohort.Demo.Corrupted.CorruptedPeople;

namespace Cohort.Demo.Corrupted;

/// <summary>Copies a true person into one source record, applying each corruption with its documented rate.</summary>
internal sealed class RecordCorrupter(Random rng, CorruptedPerson person, int occurrence, string source)
{
    private static readonly double[] JunkEmailWeights = [.. CorruptedVocabulary.JunkEmails.Select(j => j.Weight)];
    private static readonly double[] JunkPhoneWeights = [.. CorruptedVocabulary.JunkPhones.Select(j => j.Weight)];

    private Corruption _done;

    private bool Chance(double rate, Corruption kind)
    {
        if (rng.NextDouble() >= rate) return false;
        _done |= kind;
        return true;
    }

    public CorruptedRecord Make(string movedCity, string movedPostcode, string otherEmail)
    {
        string? city = person.City, postcode = person.Postcode, email = person.Email;
        if (occurrence > 0 && Chance(MovedRate, Corruption.Moved)) (city, postcode) = (movedCity, movedPostcode);
        if (occurrence > 0 && Chance(OtherEmailRate, Corruption.OtherEmail)) email = otherEmail;

        string? first = person.FirstName, last = person.LastName;
        if (CorruptedVocabulary.Nicknames.TryGetValue(first, out var nicknames) && Chance(NicknameRate, Corruption.Nickname))
            first = nicknames[rng.Next(nicknames.Length)];
        if (Chance(FirstNameTypoRate, Corruption.FirstNameTypo)) first = Typos.Apply(rng, first);
        if (Chance(LastNameTypoRate, Corruption.LastNameTypo)) last = Typos.Apply(rng, last);
        if (Chance(SwappedNamesRate, Corruption.SwappedNames)) (first, last) = (last, first);

        DateOnly? birth = Chance(BirthDateErrorRate, Corruption.BirthDateError) ? WrongBirthDate(person.BirthDate) : person.BirthDate;

        if (Chance(JunkEmailRate, Corruption.JunkEmail))
            email = CorruptedVocabulary.JunkEmails[Pick(rng, JunkEmailWeights)].Value;
        else if (Chance(EmailTypoRate, Corruption.EmailTypo))
            email = TypoInLocalPart(email);

        var phone = Chance(JunkPhoneRate, Corruption.JunkPhone)
            ? CorruptedVocabulary.JunkPhones[Pick(rng, JunkPhoneWeights)].Value
            : Format(person.Phone);
        if (!_done.HasFlag(Corruption.JunkPhone) && Chance(PhoneTypoRate, Corruption.PhoneTypo)) phone = Typos.Apply(rng, phone, keepLength: true);
        if (Chance(PostcodeTypoRate, Corruption.PostcodeTypo)) postcode = Typos.Apply(rng, postcode, keepLength: true);

        if (Chance(CaseNoiseRate, Corruption.CaseNoise)) (first, last, email) = CaseNoise(first, last, email);
        if (Chance(WhitespaceNoiseRate, Corruption.WhitespaceNoise)) (first, last, email, postcode) = WhitespaceNoise(first, last, email, postcode);

        if (Chance(MissingFirstNameRate, Corruption.MissingFirstName)) first = null;
        if (Chance(MissingLastNameRate, Corruption.MissingLastName)) last = null;
        if (Chance(MissingBirthDateRate, Corruption.MissingBirthDate)) birth = null;
        if (Chance(MissingPostcodeRate, Corruption.MissingPostcode)) postcode = null;
        if (Chance(MissingEmailRate, Corruption.MissingEmail)) email = null;
        if (Chance(MissingPhoneRate, Corruption.MissingPhone)) phone = null;
        if (source == CorruptedSources.Crm && Chance(MissingCityRate, Corruption.MissingCity)) city = null;
        if (source == CorruptedSources.Web) city = null;

        return new CorruptedRecord(source, 0, person.PersonId, occurrence, first, last, birth, city, postcode, email, phone, _done);
    }

    /// <summary>Day and month swapped (when valid and different), one digit of yyyyMMdd off by one, or the year off by one.</summary>
    private DateOnly WrongBirthDate(DateOnly date)
    {
        var kind = rng.Next(3);
        if (kind == 0 && date.Day <= 12 && date.Day != date.Month)
            return new DateOnly(date.Year, date.Day, date.Month);
        if (kind <= 1)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var digits = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture).ToCharArray();
                var at = rng.Next(2, 8); // not the century
                digits[at] = (char)('0' + (digits[at] - '0' + (rng.Next(2) == 0 ? 9 : 1)) % 10);
                if (DateOnly.TryParseExact(new string(digits), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wrong))
                    return wrong;
            }
        }
        return date.AddYears(rng.Next(2) == 0 ? -1 : 1);
    }

    private string TypoInLocalPart(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return Typos.Apply(rng, email[..at]) + email[at..];
    }

    /// <summary>The ten digits as people type them: (206) 555-0143, 206-555-0143, +1 206 555 0143, …</summary>
    private string Format(string digits)
    {
        var (a, b, c) = (digits[..3], digits[3..6], digits[6..]);
        return rng.Next(6) switch
        {
            0 => $"({a}) {b}-{c}",
            1 => $"{a}-{b}-{c}",
            2 => $"{a}.{b}.{c}",
            3 => digits,
            4 => $"+1 {a} {b} {c}",
            _ => $"1-{a}-{b}-{c}",
        };
    }

    private (string?, string?, string?) CaseNoise(string? first, string? last, string? email) => rng.Next(3) switch
    {
        0 => (first?.ToUpperInvariant(), last?.ToUpperInvariant(), email),
        1 => (first?.ToLowerInvariant(), last?.ToLowerInvariant(), email),
        _ => (first, last, email?.ToUpperInvariant()),
    };

    private (string?, string?, string?, string?) WhitespaceNoise(string? first, string? last, string? email, string? postcode)
    {
        var pad = rng.Next(3) switch { 0 => (" ", ""), 1 => ("", " "), _ => ("  ", " ") };
        string? Padded(string? v) => v is null ? null : pad.Item1 + v + pad.Item2;
        return rng.Next(4) switch
        {
            0 => (Padded(first), last, email, postcode),
            1 => (first, Padded(last), email, postcode),
            2 => (first, last, Padded(email), postcode),
            _ => (first, last, email, Padded(postcode)),
        };
    }
}
