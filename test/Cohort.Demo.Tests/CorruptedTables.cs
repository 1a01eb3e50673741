using System.Globalization;
using Cohort.Demo.Corrupted;
using Cohort.Testing;
using Cohort.Warehouses;

namespace Cohort.Demo.Tests;

/// <summary>Checks what <see cref="CorruptedPeople.WriteAsync"/> left in a warehouse, the same on every engine.</summary>
internal static class CorruptedTables
{
    public static async Task AssertWrittenAsync(IWarehouse warehouse, CorruptedDataset data)
    {
        var crm = data.Records.Count(r => r.Source == CorruptedSources.Crm);
        Assert.Equal(crm, Convert.ToInt64(await warehouse.ScalarAsync("SELECT count(*) FROM crm_people"), CultureInfo.InvariantCulture));
        Assert.Equal(data.RecordCount - crm, Convert.ToInt64(await warehouse.ScalarAsync("SELECT count(*) FROM web_signups"), CultureInfo.InvariantCulture));
        Assert.Equal(data.RecordCount, Convert.ToInt64(await warehouse.ScalarAsync("SELECT count(*) FROM identity_truth"), CultureInfo.InvariantCulture));
        // Every source row has exactly one truth row.
        Assert.Equal(0L, Convert.ToInt64(await warehouse.ScalarAsync("""
            SELECT count(*) FROM crm_people c LEFT JOIN identity_truth t ON t.source = 'crm_people' AND t.record_id = c.person_ref
            WHERE t.person_id IS NULL
            """), CultureInfo.InvariantCulture));
        var sample = data.Records.First(r => r.Source == CorruptedSources.Web && r.BirthDate is not null);
        Assert.Equal(sample.BirthDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            await warehouse.ScalarAsync($"SELECT dob FROM web_signups WHERE signup_id = {sample.RecordId}"));
        var crmSample = data.Records.First(r => r.Source == CorruptedSources.Crm && r.BirthDate is not null);
        Assert.Equal(crmSample.BirthDate, await warehouse.ScalarAsync($"SELECT birth_date FROM crm_people WHERE person_ref = {crmSample.RecordId}"));
    }
}

/// <summary>
/// The baseline a probabilistic model has to beat: records linked when their normalised e-mail (trimmed, lower case)
/// or phone (digits, without the leading 1) is equal, skipping the blocked values and any value on more than 20 records.
/// </summary>
internal sealed record ExactLinkCheck(
    long Predicted, long TruePositives, double Precision, double Recall, double TwoPlusDamaged, double ThreePlusDamaged, double ThreePlusDamagedWithoutPhone)
{
    private static readonly HashSet<string> Blocked = ["test@test.com", "noemail@none.com", "5555555555", "0000000000", "1234567890"];

    public static ExactLinkCheck Run(CorruptedDataset data)
    {
        var records = data.Records;
        var parent = Enumerable.Range(0, records.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var keys = records.Select(r => new[] { Email(r.Email), Phone(r.Phone) }).ToArray();
        var counts = keys.SelectMany(k => k).Where(k => k is not null).GroupBy(k => k!).ToDictionary(g => g.Key, g => g.Count());
        var firstWith = new Dictionary<string, int>();
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var key in keys[i])
            {
                if (key is null || Blocked.Contains(key[2..]) || counts[key] > 20) continue;
                if (firstWith.TryGetValue(key, out var j)) parent[Find(i)] = Find(j);
                else firstWith[key] = i;
            }
        }
        var clusters = Enumerable.Range(0, records.Count).GroupBy(Find).ToList();
        long predicted = clusters.Sum(c => Pairs(c.Count()));
        long truePositives = clusters.Sum(c => c.GroupBy(i => records[i].PersonId).Sum(g => Pairs(g.Count())));
        var people = data.People.ToDictionary(p => p.PersonId);
        var damaged = records.Select(r => Damaged(r, people[r.PersonId], withPhone: true)).ToList();
        var damagedWithoutPhone = records.Count(r => Damaged(r, people[r.PersonId], withPhone: false) >= 3);
        return new ExactLinkCheck(predicted, truePositives, truePositives / (double)Math.Max(1, predicted), truePositives / (double)data.TruePairs,
            damaged.Count(d => d >= 2) / (double)records.Count, damaged.Count(d => d >= 3) / (double)records.Count, damagedWithoutPhone / (double)records.Count);
    }

    private static long Pairs(long n) => n * (n - 1) / 2;

    private static string? Email(string? email) => email is null ? null : "e:" + email.Trim().ToLowerInvariant();

    private static string? Phone(string? phone)
    {
        if (phone is null) return null;
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        if (digits.Length == 11 && digits[0] == '1') digits = digits[1..];
        return digits.Length == 0 ? null : "p:" + digits;
    }

    /// <summary>How many of the matching fields (first, last, dob, postcode, email, and phone if asked) are missing or differ from the truth after trivial clean-up.</summary>
    private static int Damaged(CorruptedRecord r, CorruptedPerson p, bool withPhone)
    {
        static bool Same(string? a, string b) => a is not null && string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);
        var n = 0;
        if (!Same(r.FirstName, p.FirstName)) n++;
        if (!Same(r.LastName, p.LastName)) n++;
        if (r.BirthDate != p.BirthDate) n++;
        if (!Same(r.Postcode, p.Postcode)) n++;
        if (!Same(r.Email, p.Email)) n++;
        if (withPhone && Phone(r.Phone) != "p:" + p.Phone) n++;
        return n;
    }
}
