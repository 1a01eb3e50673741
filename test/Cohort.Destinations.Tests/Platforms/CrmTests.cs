using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Platforms.Braze;
using Cohort.Destinations.Platforms.HubSpot;
using Cohort.Destinations.Platforms.Iterable;
using Cohort.Destinations.Platforms.Klaviyo;
using Cohort.Destinations.Platforms.Mailchimp;
using Cohort.Destinations.Platforms.Salesforce;
using Cohort.Testing.Platforms;
using static Cohort.Destinations.Tests.Platforms.PlatformCase;

namespace Cohort.Destinations.Tests.Platforms;

public abstract class CaseTests<TCase> : IAsyncLifetime where TCase : PlatformCase, new()
{
    protected TCase Case { get; } = new();

    public Task InitializeAsync() => Case.StartAsync();

    public async Task DisposeAsync() => await Case.DisposeAsync();

    protected Task<BatchResult> Send(IDestination destination, BatchOperation operation, params OutboundRecord[] records) =>
        destination.SendAsync(Batch(operation, records), CancellationToken.None);

    protected static RecordOutcome[] Outcomes(BatchResult result) => [.. result.Records.Select(r => r.Outcome)];
}

public sealed class BrazeTests : CaseTests<BrazeCase>
{
    [Fact]
    public async Task Add_sets_the_audience_attribute_with_fields_and_remove_clears_it()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Add,
            WithFields(Rec("1", (IdentifierType.ExternalId, "crm-1"), (IdentifierType.Email, "dana@example.com")), ("first_name", "Dana")),
            Rec("2", (IdentifierType.Email, " Rosario@Example.org ")));

        Assert.Equal(true, (bool?)Case.Fake.Users["external_id:crm-1"]["in_audience_churn_risk"]);
        Assert.Equal("Dana", (string?)Case.Fake.Users["external_id:crm-1"]["first_name"]);
        Assert.True(Case.Fake.Users.ContainsKey("email:rosario@example.org"));

        await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.ExternalId, "crm-1")), Rec("9", (IdentifierType.ExternalId, "never-seen")));
        Assert.Equal(false, (bool?)Case.Fake.Users["external_id:crm-1"]["in_audience_churn_risk"]);
        Assert.False(Case.Fake.Users.ContainsKey("external_id:never-seen"));
    }

    [Fact]
    public async Task Non_fatal_errors_reject_the_object_at_their_index()
    {
        await using var destination = Case.Create();
        Case.Fake.RejectedValues.Add("crm-2");

        var result = await Send(destination, BatchOperation.Add, Case.Record(1), Case.Record(2), Case.Record(3));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Succeeded], Outcomes(result));
        Assert.Equal("rejected by the test", result.Records[1].Reason);
    }

    [Fact]
    public async Task A_429_without_retry_after_waits_until_the_rate_limit_reset()
    {
        await using var destination = Case.Create();
        Case.Fake.RateLimitedUntil = Case.Time.GetUtcNow().AddSeconds(30);

        var error = await Assert.ThrowsAsync<DestinationException>(() => Send(destination, BatchOperation.Add, Case.Record(1)));

        Assert.Equal(DestinationErrorClass.Transient, error.ErrorClass);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Fact]
    public async Task Phones_go_in_e164_when_phone_names_the_user()
    {
        await using var destination = new BrazeDestination(new HttpClient(), Case.Settings() with { IdentifyBy = [IdentifierType.Phone] }, Case.Time);
        var result = await Send(destination, BatchOperation.Upsert, WithFields(Rec("1", (IdentifierType.Phone, "(650) 555-1212")), ("plan", "pro")));

        Assert.Equal(RecordOutcome.Succeeded, result.Records.Single().Outcome);
        Assert.Equal("pro", (string?)Case.Fake.Users["phone:+16505551212"]["plan"]);
    }

    [Fact]
    public void Without_an_audience_attribute_only_upsert_and_update_are_offered() =>
        Assert.Equal([BatchOperation.Upsert, BatchOperation.Update],
            new BrazeDestination(new HttpClient(), Case.Settings() with { AudienceAttribute = null }).Descriptor.Operations.ToArray());
}

public sealed class KlaviyoTests : CaseTests<KlaviyoCase>
{
    [Fact]
    public async Task Add_imports_profiles_into_the_list_and_remove_finds_them_by_email()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Add,
            WithFields(Rec("1", (IdentifierType.Email, "Dana@Example.com"), (IdentifierType.Phone, "800-555-0100")), ("churn_risk", "high"), ("ignored", null)),
            Rec("2", (IdentifierType.Email, "rosario@example.org")));

        Assert.Equal(new HashSet<string> { "dana@example.com", "rosario@example.org" }, Case.Fake.ListEmails.ToHashSet());
        var dana = Case.Fake.Profiles.Values.Single(p => (string?)p["email"] == "dana@example.com");
        Assert.Equal("+18005550100", (string?)dana["phone_number"]);
        Assert.Equal("high", (string?)dana["properties"]!["churn_risk"]);
        Assert.False(dana["properties"]!.AsObject().ContainsKey("ignored"));

        var removed = await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.Email, "dana@example.com")), Rec("3", (IdentifierType.Email, "unknown@example.com")));
        Assert.All(removed.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Equal(["rosario@example.org"], Case.Fake.ListEmails);
        Assert.All(Case.Server.Requests, r => Assert.Equal("2026-04-15", r.Header("revision")));
    }

    [Fact]
    public async Task Upsert_imports_without_joining_the_list()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Upsert, Case.Record(1));
        Assert.Single(Case.Fake.Profiles);
        Assert.Empty(Case.Fake.ListMembers);
    }

    [Fact]
    public async Task A_job_refused_for_one_profile_rejects_it_and_leaves_the_others_pending()
    {
        await using var destination = Case.Create();
        Case.Fake.InvalidPhones.Add("+18005550102");

        var result = await Send(destination, BatchOperation.Add, Case.Record(1), Rec("2", (IdentifierType.Email, "p2@example.com"), (IdentifierType.Phone, "+1 800 555 0102")), Case.Record(3));

        Assert.Equal([RecordOutcome.Pending, RecordOutcome.Rejected, RecordOutcome.Pending], Outcomes(result));
        Assert.Contains("Invalid phone number format", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.Empty(Case.Fake.Profiles);
    }

    [Fact]
    public async Task Bodies_over_five_megabytes_are_split_into_several_jobs_and_oversized_profiles_are_invalid()
    {
        await using var destination = Case.Create();
        var filler = new string('x', 90 * 1024);
        var records = Enumerable.Range(0, 60).Select(i => WithFields(Case.Record(i), ("notes", filler))).Append(WithFields(Case.Record(99), ("notes", filler + filler))).ToArray();

        var result = await Send(destination, BatchOperation.Upsert, records);

        Assert.Equal(2, Case.Fake.BulkJobs);
        Assert.Equal(60, Case.Fake.Profiles.Count);
        Assert.Equal(RecordOutcome.Invalid, result.Records[^1].Outcome);
        Assert.Contains("100 KB", result.Records[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_revision_header_is_refused_permanently()
    {
        await using var destination = new KlaviyoDestination(new HttpClient(), Case.Settings() with { Revision = "" });
        var error = await Assert.ThrowsAsync<DestinationException>(() => Send(destination, BatchOperation.Add, Case.Record(1)));
        Assert.Equal((DestinationErrorClass.Permanent, 400), (error.ErrorClass, error.StatusCode));
    }

    [Fact]
    public async Task Remove_needs_an_email_to_find_the_profile()
    {
        await using var destination = Case.Create();
        var result = await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.ExternalId, "crm-1")));
        Assert.Equal(RecordOutcome.Invalid, result.Records.Single().Outcome);
    }
}

public sealed class HubSpotTests : CaseTests<HubSpotCase>
{
    [Fact]
    public async Task Add_upserts_contacts_then_adds_their_record_ids_to_the_list_and_remove_takes_them_out()
    {
        await using var destination = Case.Create();
        var added = await Send(destination, BatchOperation.Add,
            WithFields(Rec("1", (IdentifierType.Email, "Dana@Example.com")), ("firstname", "Dana")),
            Rec("2", (IdentifierType.Email, "rosario@example.org")));

        Assert.All(added.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Equal(new HashSet<string> { "dana@example.com", "rosario@example.org" }, Case.Fake.ListEmails.ToHashSet());
        Assert.Equal("Dana", (string?)Case.Fake.Contacts.Values.Single(c => (string?)c["email"] == "dana@example.com")["firstname"]);

        var removed = await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.Email, "dana@example.com")), Rec("3", (IdentifierType.Email, "nobody@example.com")));
        Assert.All(removed.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Equal(["rosario@example.org"], Case.Fake.ListEmails);
        Assert.Equal(2, Case.Fake.Contacts.Count);
    }

    [Fact]
    public async Task Multi_status_errors_reject_the_records_they_name_and_keep_them_off_the_list()
    {
        await using var destination = Case.Create();
        Case.Fake.RejectedValues.Add("person2@example.com");

        var result = await Send(destination, BatchOperation.Add, Case.Record(1), Case.Record(2), Case.Record(3));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Succeeded], Outcomes(result));
        Assert.StartsWith("VALIDATION_ERROR", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("person2@example.com", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.Equal(2, Case.Fake.ListMembers.Count);
    }

    [Fact]
    public async Task Duplicate_ids_in_one_batch_are_sent_once()
    {
        await using var destination = Case.Create();
        var result = await Send(destination, BatchOperation.Upsert, Rec("a", (IdentifierType.Email, "dana@example.com")), Rec("b", (IdentifierType.Email, "DANA@example.com")));

        Assert.All(result.Records, r => Assert.Equal(RecordOutcome.Succeeded, r.Outcome));
        Assert.Single(Case.Fake.Contacts);
    }

    [Fact]
    public async Task Membership_on_a_dynamic_list_is_a_permanent_error()
    {
        await using var destination = new HubSpotDestination(new HttpClient(), Case.Settings() with { ListId = HubSpotFake.DynamicListId });
        var error = await Assert.ThrowsAsync<DestinationException>(() => Send(destination, BatchOperation.Add, Case.Record(1)));
        Assert.Equal((DestinationErrorClass.Permanent, "VALIDATION_ERROR"), (error.ErrorClass, error.VendorCode));
    }
}

public sealed class SalesforceTests : CaseTests<SalesforceCase>
{
    [Fact]
    public async Task Upserts_by_external_id_and_marks_membership_in_a_checkbox()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Upsert, Case.Record(1));
        await Send(destination, BatchOperation.Add, Case.Record(1), Case.Record(2));
        await Send(destination, BatchOperation.Remove, Case.Record(2));

        Assert.Equal("person1@example.com", (string?)Case.Fake.Records["k1"]["Email"]);
        Assert.Equal(true, (bool?)Case.Fake.Records["k1"]["Audience_Churn_Risk__c"]);
        Assert.Equal(false, (bool?)Case.Fake.Records["k2"]["Audience_Churn_Risk__c"]);
    }

    [Fact]
    public async Task Per_record_errors_are_rejections_and_row_locks_are_pending()
    {
        await using var destination = Case.Create();
        Case.Fake.RejectedKeys.Add("k2");
        Case.Fake.LockedKeys.Add("k3");

        var result = await Send(destination, BatchOperation.Upsert, Case.Record(1), Case.Record(2), Case.Record(3));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected, RecordOutcome.Pending], Outcomes(result));
        Assert.StartsWith("FIELD_CUSTOM_VALIDATION_EXCEPTION", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("UNABLE_TO_LOCK_ROW", result.Records[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_request_limit_exceeded_is_transient_although_it_is_a_403()
    {
        await using var destination = Case.Create();
        Case.Server.Inject(Fault.Status(403, vendorCode: "REQUEST_LIMIT_EXCEEDED"));

        var error = await Assert.ThrowsAsync<DestinationException>(() => Send(destination, BatchOperation.Upsert, Case.Record(1)));

        Assert.Equal((DestinationErrorClass.Transient, "REQUEST_LIMIT_EXCEEDED"), (error.ErrorClass, error.VendorCode));
    }
}

public sealed class IterableTests : CaseTests<IterableCase>
{
    [Fact]
    public async Task Subscribe_and_unsubscribe_keep_the_list_and_bulk_update_sets_data_fields()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Add, Rec("1", (IdentifierType.Email, "Dana@Example.com")), Rec("2", (IdentifierType.Email, "rosario@example.org")));
        await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.Email, "dana@example.com")));
        await Send(destination, BatchOperation.Upsert, WithFields(Rec("2", (IdentifierType.Email, "rosario@example.org")), ("churn_risk", "high")));

        Assert.Equal(["rosario@example.org"], Case.Fake.ListMembers);
        Assert.Equal("high", (string?)Case.Fake.Users["rosario@example.org"]["churn_risk"]);
        Assert.Equal(false, (bool?)Case.Server.Requests[1].Json!["channelUnsubscribe"]);
    }

    [Fact]
    public async Task Invalid_emails_in_the_response_are_rejections()
    {
        await using var destination = Case.Create();
        Case.Fake.InvalidEmails.Add("person2@example.com");

        var result = await Send(destination, BatchOperation.Add, Case.Record(1), Case.Record(2));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected], Outcomes(result));
    }

    [Fact]
    public async Task User_id_projects_name_users_by_the_external_id()
    {
        await using var destination = new IterableDestination(new HttpClient(), Case.Settings() with { IdentifyBy = IterableUserKey.UserId });
        var result = await Send(destination, BatchOperation.Add, Rec("1", (IdentifierType.ExternalId, "crm-1")), Rec("2", (IdentifierType.Email, "only@example.com")));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Invalid], Outcomes(result));
        Assert.Contains("userId:crm-1", Case.Fake.ListMembers);
        Assert.Equal(true, (bool?)Case.Server.Requests.Single().Json!["subscribers"]![0]!["preferUserId"]);
    }
}

public sealed class MailchimpTests : CaseTests<MailchimpCase>
{
    [Fact]
    public async Task Add_subscribes_to_the_list_and_joins_the_segment_and_remove_leaves_the_segment()
    {
        await using var destination = Case.Create();
        await Send(destination, BatchOperation.Add,
            WithFields(Rec("1", (IdentifierType.Email, "Dana@Example.com")), ("FNAME", "Dana")),
            Rec("2", (IdentifierType.Email, "rosario@example.org")));

        Assert.Equal("subscribed", (string?)Case.Fake.Member("dana@example.com")!["status"]);
        Assert.Equal("Dana", (string?)Case.Fake.Member("dana@example.com")!["merge_fields.FNAME"]);
        Assert.Equal(new HashSet<string> { "dana@example.com", "rosario@example.org" }, Case.Fake.Segment);

        await Send(destination, BatchOperation.Remove, Rec("1", (IdentifierType.Email, "dana@example.com")));
        Assert.Equal(["rosario@example.org"], Case.Fake.Segment);
        Assert.Equal("subscribed", (string?)Case.Fake.Member("dana@example.com")!["status"]);
    }

    [Fact]
    public async Task Member_errors_reject_the_member_and_keep_it_out_of_the_segment()
    {
        await using var destination = Case.Create();
        Case.Fake.FakeEmails.Add("person2@example.com");

        var result = await Send(destination, BatchOperation.Add, Case.Record(1), Case.Record(2));

        Assert.Equal([RecordOutcome.Succeeded, RecordOutcome.Rejected], Outcomes(result));
        Assert.StartsWith("ERROR_FAKE_EMAIL", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("person2@example.com", result.Records[1].Reason, StringComparison.Ordinal);
        Assert.Equal(["person1@example.com"], Case.Fake.Segment);
    }

    [Fact]
    public async Task Unsubscribe_removal_sets_the_member_status()
    {
        await using var destination = new MailchimpDestination(new HttpClient(), Case.Settings() with { SegmentId = null, Removal = MailchimpRemoval.Unsubscribe });
        await Send(destination, BatchOperation.Add, Case.Record(1));
        await Send(destination, BatchOperation.Remove, Case.Record(1));

        Assert.Equal("unsubscribed", (string?)Case.Fake.Member("person1@example.com")!["status"]);
    }

    [Fact]
    public void Without_a_segment_or_unsubscribe_removal_is_not_offered_and_the_host_follows_the_key()
    {
        var destination = new MailchimpDestination(new HttpClient(), new MailchimpSettings("abc-us14", "list", "pending"));
        Assert.DoesNotContain(BatchOperation.Remove, destination.Descriptor.Operations);
        Assert.Equal(new Uri("https://us14.api.mailchimp.com/"), MailchimpDestination.BaseUrlForKey("abc-us14"));
        Assert.Throws<ArgumentException>(() => MailchimpDestination.BaseUrlForKey("no-suffix-"));
        Assert.Throws<ArgumentException>(() => new MailchimpDestination(new HttpClient(), new MailchimpSettings("abc-us14", "list", "maybe")));
    }
}
