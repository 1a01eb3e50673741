using Cohort.Destinations.Abstractions;
using Cohort.Sync.Tests.Support;
using Cohort.Testing;

namespace Cohort.Sync.Tests;

/// <summary>
/// The match-rate report of a sync (<see cref="SyncEngine.MatchRateAsync"/>): computed over the members the sync would
/// hold, with the destination's own normalisation, without secrets and without sending anything; checked against
/// counts computed by hand-written SQL.
/// </summary>
public sealed class MatchRateTests(DuckDbEngine engine) : IClassFixture<DuckDbEngine>
{
    private const string Meta =
        "type: meta-custom-audience\nsettings:\n  audience_id: \"1\"\n  access_token: {env: COHORT_TEST_UNSET_META_TOKEN}\n  default_phone_region: GB\n";

    private const string Members = "active AND segment <> 'unsub'";

    private async Task<long> CountAsync(Harness h, string where) =>
        Convert.ToInt64((await h.Warehouse.ReadAllAsync($"SELECT count(*) FROM people WHERE {Members} AND ({where})"))[0][0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_report_gives_the_share_of_members_with_each_usable_identifier_and_the_invalid_values()
    {
        await using var h = await Harness.CreateAsync(engine,
            "audience: active\ndestination: ads\nmode: membership\nidentifiers: {email: email, phone: phone}\nexclude: [unsubscribed]\n",
            files: f => f.Destination("ads", Meta));
        // Even ids get a valid London number, odd ids that have a phone get one too short to be a number.
        await h.ExecuteAsync("""
            UPDATE people SET email = 'not-an-email' WHERE id IN (4, 5, 10);
            UPDATE people SET email = NULL WHERE id = 11;
            UPDATE people SET phone = '+44 20 7946 0' || lpad(CAST(id AS VARCHAR), 3, '0') WHERE id % 2 = 0;
            UPDATE people SET phone = '12' WHERE id % 2 = 1 AND phone IS NOT NULL;
            """);

        var rate = await h.Engine.MatchRateAsync(h.Sync, h.Options());

        Assert.NotNull(rate);
        Assert.Equal(("subject", "meta-custom-audience", "meta"), (rate.Sync, rate.DestinationType, rate.Profile));
        var report = rate.Report;
        var members = await CountAsync(h, "TRUE");
        var validEmail = "email LIKE '%@%'";
        var validPhone = "phone LIKE '+44 20 7946%'";
        Assert.Equal(members, report.Records);
        Assert.Equal([IdentifierType.Email, IdentifierType.Phone], report.ByIdentifier.Select(s => s.Type).ToArray());
        var email = report.ByIdentifier[0];
        Assert.Equal((await CountAsync(h, "email IS NOT NULL"), await CountAsync(h, validEmail), await CountAsync(h, $"email IS NOT NULL AND NOT {validEmail}")),
            ((long)email.Present, (long)email.Usable, (long)email.Invalid));
        var phone = report.ByIdentifier[1];
        Assert.Equal((await CountAsync(h, "phone IS NOT NULL"), await CountAsync(h, validPhone), await CountAsync(h, $"phone IS NOT NULL AND NOT {validPhone}")),
            ((long)phone.Present, (long)phone.Usable, (long)phone.Invalid));
        Assert.True(phone.Invalid > 0 && email.Invalid == 3);
        Assert.Equal((double)email.Usable / members, email.UsableShare, 10);

        // Members with no usable identifier at all are what a run reports as invalid: 5 (bad email, no phone) and 11 (no email, odd id).
        var unusable = $"NOT coalesce({validEmail}, FALSE) AND NOT coalesce({validPhone}, FALSE)";
        Assert.Equal(await CountAsync(h, unusable), report.Invalid);
        Assert.Equal(report.Records - report.Invalid, report.Usable);
        Assert.Equal(report.Invalid, report.InvalidReasons.Values.Sum());
        Assert.All(report.InvalidReasons.Keys, reason => Assert.DoesNotContain("not-an-email", reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_report_covers_only_identifiers_the_destination_accepts_and_is_absent_for_destinations_that_normalise_none()
    {
        await using var h = await Harness.CreateAsync(engine,
            "audience: active\ndestination: crm\nmode: upsert\nidentifiers: {email: email}\n",
            files: f => f.Destination("crm", "type: hubspot\nsettings:\n  access_token: {env: COHORT_TEST_UNSET_HUBSPOT_TOKEN}\n"));
        var rate = await h.Engine.MatchRateAsync(h.Sync, h.Options());
        Assert.NotNull(rate);
        Assert.Equal([IdentifierType.Email], rate.Report.ByIdentifier.Select(s => s.Type).ToArray());
        Assert.Equal(1.0, rate.Report.UsableShare);

        await using var memory = await Harness.CreateAsync(engine, "audience: active\ndestination: memory\nmode: upsert\nidentifiers: {email: email}\n");
        Assert.Null(await memory.Engine.MatchRateAsync(memory.Sync, memory.Options()));
    }
}
