using System.Globalization;

namespace Cohort.Demo.Corrupted;

/// <summary>
/// A Splink-style synthetic evaluation set for probabilistic identity matching: true people, each seen as 1–6
/// records in two sources (<c>crm_people</c>, <c>web_signups</c>) with realistic corruption, and the truth table
/// that says which records are the same person. Deterministic for a seed (<see cref="Random(int)"/> only).
/// </summary>
/// <remarks>
/// Every rate below is the chance per record, drawn independently, unless its comment says otherwise. A missing
/// value wins over any other corruption of that field. Rates are kept low enough that few records have three or
/// more damaged fields, so a Fellegi–Sunter model on names, birth date, postcode and e-mail can find nearly all
/// pairs, while exact e-mail/phone linking misses many (missing, junk, typo'd or changed values).
/// </remarks>
public static partial class CorruptedPeople
{
    /// <summary>Of records whose true first name has short forms (Robert → Bob): written as one of them.</summary>
    public const double NicknameRate = 0.12;
    public const double FirstNameTypoRate = 0.04;
    public const double LastNameTypoRate = 0.04;
    /// <summary>First name written in the last-name field and the other way round.</summary>
    public const double SwappedNamesRate = 0.02;
    /// <summary>Day and month swapped (when that is a valid date), one digit off, or year off by one.</summary>
    public const double BirthDateErrorRate = 0.05;
    public const double EmailTypoRate = 0.04;
    public const double PostcodeTypoRate = 0.03;
    public const double PhoneTypoRate = 0.03;
    /// <summary>Names in all upper or all lower case, or the e-mail in upper case.</summary>
    public const double CaseNoiseRate = 0.10;
    /// <summary>Stray spaces around a name, e-mail or postcode.</summary>
    public const double WhitespaceNoiseRate = 0.05;
    /// <summary>Of a person's later records (not the first): the address after a move (another city and postcode).</summary>
    public const double MovedRate = 0.12;
    /// <summary>Of a person's later records: their other e-mail address, at another provider.</summary>
    public const double OtherEmailRate = 0.18;
    /// <summary>E-mail replaced by a shared junk value (info@example.com, …); see CorruptedVocabulary.JunkEmails.</summary>
    public const double JunkEmailRate = 0.03;
    /// <summary>Phone replaced by a shared junk value (555-555-5555, a shop's own line, …).</summary>
    public const double JunkPhoneRate = 0.04;
    public const double MissingFirstNameRate = 0.02;
    public const double MissingLastNameRate = 0.02;
    public const double MissingBirthDateRate = 0.05;
    public const double MissingPostcodeRate = 0.05;
    public const double MissingEmailRate = 0.15;
    public const double MissingPhoneRate = 0.30;
    /// <summary>Of CRM records (the web source has no city column).</summary>
    public const double MissingCityRate = 0.05;
    /// <summary>Of people: a family member of an earlier person, same last name and address, other first name and birth date.</summary>
    public const double FamilyShare = 0.06;
    /// <summary>Chance a record goes to crm_people rather than web_signups.</summary>
    public const double CrmShare = 0.5;
    /// <summary>Chances of a person having 1, 2, … 6 records (mean 2.56).</summary>
    public static readonly IReadOnlyList<double> RecordsPerPerson = [0.30, 0.25, 0.20, 0.13, 0.08, 0.04];

    private static readonly DateOnly FirstBirthDate = new(1940, 1, 1);
    private static readonly DateOnly LastBirthDate = new(2005, 12, 31);

    public static CorruptedDataset Generate(CorruptedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.People, 1);
        var rng = new Random(options.Seed);
        var people = new PeopleMaker(rng).Make(options.People);
        var drafts = new List<CorruptedRecord>();
        foreach (var person in people)
        {
            var count = 1 + Pick(rng, RecordsPerPerson);
            for (var i = 0; i < count; i++)
                drafts.Add(new RecordCorrupter(rng, person.Truth, i, rng.NextDouble() < CrmShare ? CorruptedSources.Crm : CorruptedSources.Web)
                    .Make(person.MovedCity, person.MovedPostcode, person.OtherEmail));
        }
        // Shuffle before numbering so that record ids say nothing about who is who.
        var shuffled = drafts.ToArray();
        rng.Shuffle(shuffled);
        long crm = 1_000_000, web = 5_000_000;
        var records = shuffled
            .Select(r => r with { RecordId = r.Source == CorruptedSources.Crm ? ++crm : ++web })
            .ToArray();
        return new CorruptedDataset(records, [.. people.Select(p => p.Truth)]);
    }

    /// <summary>Index drawn from relative weights.</summary>
    internal static int Pick(Random rng, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Zipf-like weights 1/rank^s: a few values common, a long tail rare.</summary>
    internal static double[] Zipf(int count, double s) =>
        [.. Enumerable.Range(1, count).Select(rank => 1 / Math.Pow(rank, s))];

    internal static DateOnly RandomBirthDate(Random rng) =>
        FirstBirthDate.AddDays(rng.Next(LastBirthDate.DayNumber - FirstBirthDate.DayNumber + 1));

    internal static string Digits(int value, int width) => value.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
