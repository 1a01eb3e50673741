namespace Cohort.Demo.Corrupted;

/// <summary>Options of <see cref="CorruptedPeople.Generate"/>: how many true people, and the random seed.</summary>
public sealed record CorruptedOptions(int People = 5000, int Seed = 42);

/// <summary>The two source tables of the dataset.</summary>
public static class CorruptedSources
{
    public const string Crm = "crm_people";
    public const string Web = "web_signups";
    public const string Truth = "identity_truth";
}

/// <summary>What was done to a record on its way from the true person; the ground truth for corruption rates.</summary>
[Flags]
public enum Corruption
{
    None = 0,
    Nickname = 1 << 0,
    FirstNameTypo = 1 << 1,
    LastNameTypo = 1 << 2,
    SwappedNames = 1 << 3,
    BirthDateError = 1 << 4,
    EmailTypo = 1 << 5,
    PostcodeTypo = 1 << 6,
    PhoneTypo = 1 << 7,
    CaseNoise = 1 << 8,
    WhitespaceNoise = 1 << 9,
    Moved = 1 << 10,
    OtherEmail = 1 << 11,
    JunkEmail = 1 << 12,
    JunkPhone = 1 << 13,
    MissingFirstName = 1 << 14,
    MissingLastName = 1 << 15,
    MissingBirthDate = 1 << 16,
    MissingPostcode = 1 << 17,
    MissingEmail = 1 << 18,
    MissingPhone = 1 << 19,
    MissingCity = 1 << 20,
}

/// <summary>A true person: the values every record of theirs is a (possibly corrupted) copy of.</summary>
public sealed record CorruptedPerson(
    long PersonId, string FirstName, string LastName, DateOnly BirthDate, string City, string Postcode,
    string Email, string Phone, long? FamilyOf);

/// <summary>
/// One source row. <see cref="Source"/> is <see cref="CorruptedSources.Crm"/> or <see cref="CorruptedSources.Web"/>;
/// the web source has no city (always null there). <see cref="Occurrence"/> is the record's place among its
/// person's records (0 = first seen).
/// </summary>
public sealed record CorruptedRecord(
    string Source, long RecordId, long PersonId, int Occurrence,
    string? FirstName, string? LastName, DateOnly? BirthDate, string? City, string? Postcode, string? Email, string? Phone,
    Corruption Corruptions);

/// <summary>The generated people and their records, with the ground truth.</summary>
public sealed record CorruptedDataset(IReadOnlyList<CorruptedRecord> Records, IReadOnlyList<CorruptedPerson> People)
{
    public int PersonCount => People.Count;

    public int RecordCount => Records.Count;

    /// <summary>Pairs of records that belong to the same person: what pairwise recall is measured against. Counted on each call.</summary>
    public long TruePairs => Records.GroupBy(r => r.PersonId).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
}
