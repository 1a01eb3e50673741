using static Cohort.Demo.Corrupted.CorruptedVocabulary;

namespace Cohort.Demo.Corrupted;

/// <summary>A true person plus the values their later records may switch to (after a move, a second e-mail).</summary>
internal sealed record TruePerson(CorruptedPerson Truth, string MovedCity, string MovedPostcode, string OtherEmail);

/// <summary>Draws the true people: Zipf-weighted names, unique e-mails and phones, a few families sharing an address.</summary>
internal sealed class PeopleMaker(Random rng)
{
    private static readonly double[] FirstNameWeights = CorruptedPeople.Zipf(FirstNames.Length, 0.75);
    private static readonly double[] LastNameWeights = CorruptedPeople.Zipf(LastNames.Length, 0.7);
    private static readonly double[] ProviderWeights = [.. EmailProviders.Select(p => p.Weight)];

    /// <summary>Every postcode with its city and area code; the postcode determines the city.</summary>
    internal static readonly (string Postcode, string City, string AreaCode)[] Postcodes =
    [
        .. Cities.SelectMany(c => Enumerable.Range(0, c.Zips)
            .Select(i => (c.ZipPrefix + CorruptedPeople.Digits((i * 13 + 1) % 100, 2), c.City, c.AreaCode))),
    ];

    // Bigger cities come first in the list, so they get more people.
    private static readonly double[] PostcodeWeights = CorruptedPeople.Zipf(Postcodes.Length, 0.3);

    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private readonly HashSet<string> _phones = new(StringComparer.Ordinal);

    public List<TruePerson> Make(int count)
    {
        var people = new List<TruePerson>(count);
        for (var id = 1; id <= count; id++)
        {
            var anchor = people.Count > 0 && rng.NextDouble() < CorruptedPeople.FamilyShare
                ? people[rng.Next(people.Count)].Truth
                : null;
            people.Add(anchor is null ? Stranger(id) : Relative(id, anchor));
        }
        return people;
    }

    private TruePerson Stranger(long id)
    {
        var first = FirstNames[CorruptedPeople.Pick(rng, FirstNameWeights)];
        var last = LastNames[CorruptedPeople.Pick(rng, LastNameWeights)];
        var place = Postcodes[CorruptedPeople.Pick(rng, PostcodeWeights)];
        return Complete(id, first, last, CorruptedPeople.RandomBirthDate(rng), place, null);
    }

    /// <summary>Same last name and address as <paramref name="anchor"/>, another first name and birth date: false-positive bait.</summary>
    private TruePerson Relative(long id, CorruptedPerson anchor)
    {
        string first;
        do first = FirstNames[CorruptedPeople.Pick(rng, FirstNameWeights)];
        while (first == anchor.FirstName);
        DateOnly birth;
        do birth = CorruptedPeople.RandomBirthDate(rng);
        while (birth == anchor.BirthDate);
        var place = Postcodes.First(p => p.Postcode == anchor.Postcode);
        return Complete(id, first, anchor.LastName, birth, place, anchor.PersonId);
    }

    private TruePerson Complete(long id, string first, string last, DateOnly birth, (string Postcode, string City, string AreaCode) place, long? familyOf)
    {
        var provider = CorruptedPeople.Pick(rng, ProviderWeights);
        var email = UniqueEmail(first, last, birth, provider);
        int other;
        do other = CorruptedPeople.Pick(rng, ProviderWeights);
        while (other == provider);
        var otherEmail = UniqueEmail(first, last, birth, other);
        (string Postcode, string City, string AreaCode) moved;
        do moved = Postcodes[CorruptedPeople.Pick(rng, PostcodeWeights)];
        while (moved.City == place.City);
        var truth = new CorruptedPerson(id, first, last, birth, place.City, place.Postcode, email, UniquePhone(place.AreaCode), familyOf);
        return new TruePerson(truth, moved.City, moved.Postcode, otherEmail);
    }

    /// <summary>An address derived from the name, as people pick them: first.last, flast, first.last84, …</summary>
    private string UniqueEmail(string first, string last, DateOnly birth, int provider)
    {
        var f = first.ToLowerInvariant();
        var l = last.ToLowerInvariant();
        var yy = CorruptedPeople.Digits(birth.Year % 100, 2);
        var local = rng.Next(8) switch
        {
            0 or 1 => $"{f}.{l}",
            2 => f + l,
            3 => f[0] + l,
            4 => $"{f}.{l}{rng.Next(1, 100)}",
            5 => $"{f}_{l}",
            6 => f + yy,
            _ => $"{f[0]}{l}{yy}",
        };
        var domain = EmailProviders[provider].Domain;
        var email = $"{local}@{domain}";
        // Real addresses belong to one person: on a clash, add a number as the provider would make them. Gmail
        // ignores dots, so mary.sullivan@ and marysullivan@ are one mailbox and clash too.
        for (var n = 2; !_emails.Add(Mailbox(email)); n++)
            email = $"{local}{n}@{domain}";
        return email;
    }

    private static string Mailbox(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.EndsWith("@gmail.com", StringComparison.Ordinal) ? email[..at].Replace(".", "", StringComparison.Ordinal) + email[at..] : email;
    }

    /// <summary>A US number in the city's area code, as ten digits; never a 555 exchange (those are the junk ones).</summary>
    private string UniquePhone(string areaCode)
    {
        while (true)
        {
            var exchange = rng.Next(200, 1000);
            if (exchange == 555) continue;
            var phone = areaCode + CorruptedPeople.Digits(exchange, 3) + CorruptedPeople.Digits(rng.Next(10_000), 4);
            if (_phones.Add(phone)) return phone;
        }
    }
}
