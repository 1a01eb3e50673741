using Cohort.Demo.Corrupted;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;
using Xunit.Abstractions;

namespace Cohort.Demo.Tests;

public sealed class CorruptedPeopleTests(ITestOutputHelper output)
{
    // Generated once: 5,000 people is what the documented rates are checked on.
    private static readonly Lazy<CorruptedDataset> Default = new(() => CorruptedPeople.Generate(new CorruptedOptions()));

    [Fact]
    public void The_same_seed_gives_the_same_records_and_another_seed_other_records()
    {
        var a = CorruptedPeople.Generate(new CorruptedOptions(People: 500, Seed: 7));
        var b = CorruptedPeople.Generate(new CorruptedOptions(People: 500, Seed: 7));
        var c = CorruptedPeople.Generate(new CorruptedOptions(People: 500, Seed: 8));
        Assert.Equal(a.Records, b.Records);
        Assert.Equal(a.People, b.People);
        Assert.NotEqual(a.Records, c.Records);
    }

    [Fact]
    public void Every_record_is_in_the_truth_once_and_every_person_has_one_to_six()
    {
        var data = Default.Value;
        Assert.Equal(5000, data.PersonCount);
        Assert.Equal(data.RecordCount, data.Records.Select(r => (r.Source, r.RecordId)).Distinct().Count());
        var perPerson = data.Records.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(data.People.Select(p => p.PersonId).Order(), perPerson.Keys.Order());
        Assert.All(perPerson.Values, n => Assert.InRange(n, 1, 6));
        Assert.InRange(data.RecordCount / (double)data.PersonCount, 2.3, 2.8);
        Assert.All(data.Records, r => Assert.Contains(r.Source, new[] { CorruptedSources.Crm, CorruptedSources.Web }));
        Assert.All(data.Records.Where(r => r.Source == CorruptedSources.Web), r => Assert.Null(r.City));
    }

    [Fact]
    public void The_documented_corruption_rates_roughly_hold()
    {
        var data = Default.Value;
        var people = data.People.ToDictionary(p => p.PersonId);
        var all = data.Records;
        var later = all.Where(r => r.Occurrence > 0).ToList();
        var withNicknames = all.Where(r => CorruptedVocabulary.Nicknames.ContainsKey(people[r.PersonId].FirstName)).ToList();
        (Corruption Kind, double Rate, IReadOnlyList<CorruptedRecord> Of)[] expectations =
        [
            (Corruption.Nickname, CorruptedPeople.NicknameRate, withNicknames),
            (Corruption.FirstNameTypo, CorruptedPeople.FirstNameTypoRate, all),
            (Corruption.LastNameTypo, CorruptedPeople.LastNameTypoRate, all),
            (Corruption.SwappedNames, CorruptedPeople.SwappedNamesRate, all),
            (Corruption.BirthDateError, CorruptedPeople.BirthDateErrorRate, all),
            (Corruption.EmailTypo, CorruptedPeople.EmailTypoRate, [.. all.Where(r => !r.Corruptions.HasFlag(Corruption.JunkEmail))]),
            (Corruption.PhoneTypo, CorruptedPeople.PhoneTypoRate, [.. all.Where(r => !r.Corruptions.HasFlag(Corruption.JunkPhone))]),
            (Corruption.PostcodeTypo, CorruptedPeople.PostcodeTypoRate, all),
            (Corruption.CaseNoise, CorruptedPeople.CaseNoiseRate, all),
            (Corruption.WhitespaceNoise, CorruptedPeople.WhitespaceNoiseRate, all),
            (Corruption.Moved, CorruptedPeople.MovedRate, later),
            (Corruption.OtherEmail, CorruptedPeople.OtherEmailRate, later),
            (Corruption.JunkEmail, CorruptedPeople.JunkEmailRate, all),
            (Corruption.JunkPhone, CorruptedPeople.JunkPhoneRate, all),
            (Corruption.MissingFirstName, CorruptedPeople.MissingFirstNameRate, all),
            (Corruption.MissingLastName, CorruptedPeople.MissingLastNameRate, all),
            (Corruption.MissingBirthDate, CorruptedPeople.MissingBirthDateRate, all),
            (Corruption.MissingPostcode, CorruptedPeople.MissingPostcodeRate, all),
            (Corruption.MissingEmail, CorruptedPeople.MissingEmailRate, all),
            (Corruption.MissingPhone, CorruptedPeople.MissingPhoneRate, all),
            (Corruption.MissingCity, CorruptedPeople.MissingCityRate, [.. all.Where(r => r.Source == CorruptedSources.Crm)]),
        ];
        foreach (var (kind, rate, of) in expectations)
        {
            var seen = of.Count(r => r.Corruptions.HasFlag(kind)) / (double)of.Count;
            output.WriteLine($"{kind,-18} documented {rate:P1} seen {seen:P1} of {of.Count} records");
            Assert.True(seen >= rate * 0.5 && seen <= rate * 1.5, $"{kind}: documented {rate:P1}, seen {seen:P1}");
        }
        var families = data.People.Count(p => p.FamilyOf is not null) / (double)data.PersonCount;
        Assert.InRange(families, CorruptedPeople.FamilyShare * 0.5, CorruptedPeople.FamilyShare * 1.5);
    }

    [Fact]
    public void The_flags_match_the_values()
    {
        var data = Default.Value;
        var people = data.People.ToDictionary(p => p.PersonId);
        Assert.All(data.Records, r =>
        {
            var truth = people[r.PersonId];
            Assert.Equal(r.Corruptions.HasFlag(Corruption.MissingEmail), r.Email is null);
            Assert.Equal(r.Corruptions.HasFlag(Corruption.MissingPhone), r.Phone is null);
            Assert.Equal(r.Corruptions.HasFlag(Corruption.MissingBirthDate), r.BirthDate is null);
            if (r.BirthDate is { } birth)
                Assert.Equal(r.Corruptions.HasFlag(Corruption.BirthDateError), birth != truth.BirthDate);
            if (r.Corruptions == Corruption.None)
            {
                Assert.Equal((truth.FirstName, truth.LastName, truth.Postcode, truth.Email), (r.FirstName, r.LastName, r.Postcode, r.Email));
                Assert.Equal(truth.Phone, new string([.. r.Phone!.Where(char.IsAsciiDigit)])[^10..]);
            }
        });
    }

    [Fact]
    public void Junk_values_are_shared_by_unrelated_people_some_by_many_some_by_a_few()
    {
        var data = Default.Value;
        var junk = CorruptedVocabulary.JunkEmails.Select(j => j.Value).Concat(CorruptedVocabulary.JunkPhones.Select(j => j.Value)).ToHashSet();
        var shared = data.Records
            .SelectMany(r => new[] { r.Email, r.Phone }.Where(v => v is not null && junk.Contains(v)).Select(v => (Value: v!, r.PersonId)))
            .GroupBy(x => x.Value)
            .ToDictionary(g => g.Key, g => (Records: g.Count(), People: g.Select(x => x.PersonId).Distinct().Count()));
        foreach (var (value, s) in shared.OrderByDescending(x => x.Value.Records))
            output.WriteLine($"{value,-32} {s.Records,4} records of {s.People,4} people");
        Assert.Contains(shared.Values, s => s.Records > 20 && s.People > 20);
        Assert.Contains(shared.Values, s => s.Records is >= 2 and <= 5 && s.People >= 2);
    }

    [Fact]
    public void Family_members_share_last_name_and_postcode_but_not_first_name_or_birth_date()
    {
        var data = Default.Value;
        var people = data.People.ToDictionary(p => p.PersonId);
        var relatives = data.People.Where(p => p.FamilyOf is not null).ToList();
        Assert.NotEmpty(relatives);
        Assert.All(relatives, p =>
        {
            var anchor = people[p.FamilyOf!.Value];
            Assert.Equal((anchor.LastName, anchor.Postcode, anchor.City), (p.LastName, p.Postcode, p.City));
            Assert.NotEqual(anchor.FirstName, p.FirstName);
            Assert.NotEqual(anchor.BirthDate, p.BirthDate);
        });
    }

    [Fact]
    public void The_rules_are_embedded_with_the_matching_part()
    {
        Assert.Contains("max_profile_size: 10", CorruptedPeople.RulesYaml, StringComparison.Ordinal);
        Assert.Contains("matching:", CorruptedPeople.RulesYaml, StringComparison.Ordinal);
        Assert.Contains("web_signups: given_name", CorruptedPeople.RulesYaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_to_DuckDb_creates_the_three_tables()
    {
        var data = CorruptedPeople.Generate(new CorruptedOptions(People: 1000));
        await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb());
        await CorruptedPeople.WriteAsync(warehouse, data);
        await CorruptedTables.AssertWrittenAsync(warehouse, data);
        // Writing again replaces the tables.
        await CorruptedPeople.WriteAsync(warehouse, data);
        await CorruptedTables.AssertWrittenAsync(warehouse, data);
    }

    /// <summary>Not an assertion: what exact e-mail/phone linking alone achieves, printed for the record.</summary>
    [Fact]
    public void Sanity_check_exact_email_or_phone_linking()
    {
        var data = Default.Value;
        var check = ExactLinkCheck.Run(data);
        output.WriteLine($"people {data.PersonCount}, records {data.RecordCount}, true pairs {data.TruePairs}");
        output.WriteLine($"exact email OR phone: predicted pairs {check.Predicted}, true positives {check.TruePositives}, precision {check.Precision:F4}, recall {check.Recall:F4}");
        output.WriteLine($"records with 3+ damaged fields (of first, last, dob, postcode, email, phone): {check.ThreePlusDamaged:P2}; 2+: {check.TwoPlusDamaged:P2}");
        output.WriteLine($"records with 3+ damaged fields of the model's five (first, last, dob, postcode, email): {check.ThreePlusDamagedWithoutPhone:P2}");
        foreach (var r in data.Records.Take(12))
            output.WriteLine($"{r.Source} {r.RecordId} person {r.PersonId}: {r.FirstName} | {r.LastName} | {r.BirthDate} | {r.City} | {r.Postcode} | {r.Email} | {r.Phone} [{r.Corruptions}]");
        // Probabilistic matching on this dataset is measured by the engine itself: Cohort.Identity.Tests
        // (CorruptedMatchingTests) and `cohort identity evaluate --corrupted`.
        Assert.True(check.TruePositives > 0);
    }
}

public sealed class CorruptedPeoplePostgresTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Writing_to_PostgreSQL_creates_the_three_tables()
    {
        var data = CorruptedPeople.Generate(new CorruptedOptions(People: 1000));
        await using var warehouse = await db.OpenWarehouseAsync();
        await CorruptedPeople.WriteAsync(warehouse, data);
        await CorruptedTables.AssertWrittenAsync(warehouse, data);
    }
}
