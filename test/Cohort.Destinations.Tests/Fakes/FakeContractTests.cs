using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohort.Testing.Platforms;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Tests.Platforms;

namespace Cohort.Destinations.Tests.Fakes;

/// <summary>
/// The fakes themselves refuse what the contracts forbid (the "fake-server reject rules" of the reference), so a
/// connector that drifted from the contract would fail its tests. Each case is a raw request a broken connector
/// could send, with the status and error text the fake must answer.
/// </summary>
public sealed class FakeContractTests
{
    private static readonly string Hash = IdentifierHasher.Sha256Hex("dana@example.com");

    public sealed record BadRequest(string Platform, string Method, string Path, string Body, (string Name, string Value)[] Headers, int Status, string Expect)
    {
        public override string ToString() => Platform + ": " + Expect;
    }

    private static (string, string)[] H(params (string, string)[] headers) => headers;

    private static string Repeat(string item, int count) => string.Join(",", Enumerable.Repeat(item, count));

    private static readonly (string, string)[] Google = H(("Authorization", "Bearer " + GoogleAdsFake.AccessToken), ("developer-token", GoogleAdsFake.DeveloperToken));
    private static readonly (string, string)[] Li = H(("Authorization", "Bearer " + LinkedInFake.Token), ("LinkedIn-Version", "202505"), ("X-Restli-Protocol-Version", "2.0.0"), ("X-RestLi-Method", "BATCH_CREATE"));
    private static readonly (string, string)[] Kl = H(("Authorization", "Klaviyo-API-Key " + KlaviyoFake.ApiKey), ("revision", "2026-04-15"));
    private static readonly (string, string)[] Mc = H(("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + MailchimpFake.ApiKey))));

    public static TheoryData<BadRequest> Cases => new()
    {
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs:create", "{}", H(("Authorization", "Bearer " + GoogleAdsFake.AccessToken)), 401, "DEVELOPER_TOKEN_INVALID"),
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs/700:addOperations",
            """{"operations":[{"create":{"userIdentifiers":[{"hashedEmail":"dana@example.com"}]}}]}""", Google, 400, "INVALID_SHA256_FORMAT"),
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs/700:addOperations",
            """{"operations":[{"create":{"userIdentifiers":[""" + Repeat("""{"hashedEmail":"HASH"}""", 21) + """]}}]}""", Google, 400, "TOO_MANY_USER_IDENTIFIERS"),
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs/700:addOperations",
            """{"operations":[{"create":{"userIdentifiers":[{"hashedEmail":"HASH","hashedPhoneNumber":"HASH"}]}}]}""", Google, 400, "ONE_OF_REQUIRED"),
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs/700:addOperations",
            """{"operations":[{"create":{"userIdentifiers":[{"addressInfo":{"hashedFirstName":"HASH","hashedLastName":"HASH","countryCode":"HASH","postalCode":"94043"}}]}}]}""", Google, 400, "INVALID_COUNTRY_CODE"),
        new("google-ads", "POST", "/v24/customers/1112223333/offlineUserDataJobs/700:addOperations",
            """{"operations":[{"remove":{"userIdentifiers":[{"hashedEmail":"HASH"}]}}]}""", Google, 400, "CONFLICTING_OPERATION"),
        new("google-data-manager", "POST", "/v1/audienceMembers:ingest",
            """{"destinations":[{"operatingAccount":{"accountType":"GOOGLE_ADS","accountId":"1"},"productDestinationId":"4445556666"}],"encoding":"BASE64","termsOfService":{"customerMatchTermsOfServiceStatus":"ACCEPTED"},"audienceMembers":[{"userData":{"userIdentifiers":[{"emailAddress":"HASH"}]}}]}""",
            H(("Authorization", "Bearer " + DataManagerFake.AccessToken)), 400, "INVALID_BASE64_ENCODING"),
        new("google-data-manager", "POST", "/v1/audienceMembers:ingest",
            """{"destinations":[{"operatingAccount":{"accountType":"GOOGLE_ADS","accountId":"1"},"productDestinationId":"4445556666"}],"termsOfService":{"customerMatchTermsOfServiceStatus":"ACCEPTED"},"audienceMembers":[]}""",
            H(("Authorization", "Bearer " + DataManagerFake.AccessToken)), 400, "encoding is required"),
        new("meta", "POST", "/v25.0/23850000000000001/users", Form(("access_token", MetaFake.AccessToken), ("session", """{"session_id":1,"batch_seq":1}"""), ("payload", """{"schema":["EMAIL"],"data":[["dana@example.com"]]}""")), [], 400, "must be SHA-256 hashed"),
        new("meta", "POST", "/v25.0/23850000000000001/users", Form(("access_token", MetaFake.AccessToken), ("session", """{"session_id":1,"batch_seq":1}"""), ("payload", """{"schema":["EMAIL","PHONE"],"data":[["HASH"]]}""")), [], 400, "as many values as the schema"),
        new("meta", "POST", "/v25.0/23850000000000001/users", Form(("access_token", MetaFake.AccessToken), ("payload", """{"schema":"EMAIL_SHA256","data":[["HASH"]]}""")), [], 400, "session is required"),
        new("meta", "POST", "/v25.0/23850000000000001/users", Form(("payload", "{}")), [], 400, "Invalid OAuth access token"),
        new("the-trade-desk", "POST", "/data/advertiser", """{"AdvertiserId":"adv123x","Items":[],"Extra":1}""", H(("TTD-Auth", TradeDeskFake.Token)), 400, "unknown property"),
        new("the-trade-desk", "POST", "/data/advertiser", """{"AdvertiserId":"adv123x","Items":[{"TDID":"a","Data":[{"TtlInMinutes":5}]}]}""", H(("TTD-Auth", TradeDeskFake.Token)), 400, "need a Name"),
        new("the-trade-desk", "POST", "/data/advertiser", """{"AdvertiserId":"adv123x","Items":[{"TDID":"a","DAID":"b","Data":[{"Name":"s"}]}]}""", H(("TTD-Auth", TradeDeskFake.Token)), 200, "MissingUserId"),
        new("linkedin", "POST", "/rest/dmpSegments/987654/users", """{"elements":[{"action":"ADD","userIds":[{"idType":"SHA256_EMAIL","idValue":"HASH"}]}]}""",
            H(("Authorization", "Bearer " + LinkedInFake.Token), ("LinkedIn-Version", "202505"), ("X-RestLi-Method", "BATCH_CREATE")), 400, "X-Restli-Protocol-Version"),
        new("linkedin", "POST", "/rest/dmpSegments/987654/users", """{"elements":[{"action":"ADD","userIds":[{"idType":"SHA256_EMAIL","idValue":"dana@example.com"}]}]}""", Li, 400, "SHA-256 hex"),
        new("linkedin", "POST", "/rest/dmpSegments/987654/users", """{"elements":[{"action":"UPSERT","userIds":[]}]}""", Li, 400, "ADD or REMOVE"),
        new("tiktok", "POST", "/open_api/v1.3/segment/mapping/", """{"advertiser_ids":["7000000000000000001"],"action":"add","id_schema":["EMAIL_SHA256"],"batch_data":[[{"id":"dana@example.com","audience_ids":["123456789"]}]]}""",
            H(("Access-Token", TikTokFake.Token)), 200, "SHA-256 hex digest"),
        new("tiktok", "POST", "/open_api/v1.3/segment/mapping/", "{}", [], 200, "40105"),
        new("braze", "POST", "/users/track", """{"attributes":[""" + Repeat("""{"external_id":"x"}""", 76) + """]}""", H(("Authorization", "Bearer " + BrazeFake.ApiKey)), 400, "maximum is 75"),
        new("braze", "POST", "/users/track", """{"attributes":[{"first_name":"Dana"}]}""", H(("Authorization", "Bearer " + BrazeFake.ApiKey)), 201, "no user identifier"),
        new("klaviyo", "POST", "/api/profile-bulk-import-jobs", "{}", H(("Authorization", "Klaviyo-API-Key " + KlaviyoFake.ApiKey)), 400, "revision"),
        new("klaviyo", "POST", "/api/lists/AbC123/relationships/profiles", """{"data":[""" + Repeat("""{"type":"profile","id":"p"}""", 1001) + """]}""", Kl, 400, "At most 1000"),
        new("klaviyo", "POST", "/api/profile-bulk-import-jobs", """{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"a@b.co","first_name":null}}]}}}}""", Kl, 400, "null values"),
        new("klaviyo", "POST", "/api/profile-bulk-import-jobs", """{"data":{"type":"profiles","attributes":{}}}""", Kl, 409, "profile-bulk-import-job"),
        new("hubspot", "POST", "/crm/v3/objects/contacts/batch/upsert", """{"inputs":[""" + Repeat("""{"idProperty":"email","id":"a@b.co","properties":{}}""", 2) + """]}""", H(("Authorization", "Bearer " + HubSpotFake.Token)), 400, "Duplicate IDs"),
        new("hubspot", "POST", "/crm/v3/objects/contacts/batch/upsert", """{"inputs":[""" + string.Join(",", Enumerable.Range(0, 101).Select(i => """{"idProperty":"email","id":"pIDX@b.co","properties":{}}""".Replace("IDX", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))) + """]}""", H(("Authorization", "Bearer " + HubSpotFake.Token)), 400, "limited to 100"),
        new("hubspot", "PUT", "/crm/v3/lists/123/memberships/add", """["dana@example.com"]""", H(("Authorization", "Bearer " + HubSpotFake.Token)), 400, "numeric"),
        new("salesforce", "PATCH", SalesforceFake.Path, """{"records":[{"attributes":{"type":"Lead"},"Warehouse_Id__c":"k"}]}""", H(("Authorization", "Bearer " + SalesforceFake.Token)), 400, "INVALID_TYPE"),
        new("salesforce", "PATCH", SalesforceFake.Path, """{"records":[{"attributes":{"type":"Contact"},"Id":"003","Warehouse_Id__c":"k"}]}""", H(("Authorization", "Bearer " + SalesforceFake.Token)), 400, "INVALID_FIELD"),
        new("salesforce", "PATCH", SalesforceFake.Path, """{"records":[""" + string.Join(",", Enumerable.Range(0, 201).Select(i => """{"attributes":{"type":"Contact"},"Warehouse_Id__c":"kIDX"}""".Replace("IDX", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))) + """]}""", H(("Authorization", "Bearer " + SalesforceFake.Token)), 400, "EXCEEDED_ID_LIMIT"),
        new("iterable", "POST", "/api/lists/unsubscribe", """{"listId":98765,"subscribers":[{"email":"a@b.co"}],"channelUnsubscribe":true}""", H(("Api-Key", IterableFake.ApiKey)), 400, "global channel"),
        new("iterable", "POST", "/api/lists/subscribe", """{"listId":98765,"subscribers":[{"email":"a@b.co"}]}""", H(("Api-Key", "nope")), 401, "BadApiKey"),
        new("mailchimp", "POST", "/3.0/lists/a1b2c3d4e5/segments/4242", """{"members_to_add":[""" + string.Join(",", Enumerable.Range(0, 501).Select(i => $"\"p{i}@b.co\"")) + """]}""", Mc, 400, "at most 500 items in members_to_add"),
        new("mailchimp", "POST", "/3.0/lists/a1b2c3d4e5", """{"members":[{"email_address":"a@b.co","status":"maybe"}]}""", Mc, 400, "unknown status"),
        new("mailchimp", "POST", "/3.0/lists/a1b2c3d4e5", """{"members":[{"email_address":"a@b.co"}],"update_existing":false}""", Mc, 400, "status is required"),
    };

    private static string Form(params (string Name, string Value)[] fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));

    [Theory, MemberData(nameof(Cases))]
    public async Task The_fake_refuses_a_request_that_breaks_the_contract(BadRequest bad)
    {
        await using var platform = PlatformCases.Create(bad.Platform);
        await platform.StartAsync();
        if (platform is GoogleAdsCase google)
        {
            // A job that already holds a create operation, so the remove case meets CONFLICTING_OPERATION.
            await using var destination = google.Create();
            await destination.SendAsync(PlatformCase.Batch(Cohort.Destinations.Abstractions.BatchOperation.Add, google.Record(1)), CancellationToken.None);
        }
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), new Uri(platform.Server.BaseUrl, bad.Path))
        {
            Content = new StringContent(bad.Body.Replace("HASH", Hash, StringComparison.Ordinal), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = bad.Platform == "meta" ? new MediaTypeHeaderValue("application/x-www-form-urlencoded")
            : bad.Platform == "klaviyo" ? new MediaTypeHeaderValue("application/vnd.api+json") : new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in bad.Headers) request.Headers.TryAddWithoutValidation(name, value);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(bad.Status, (int)response.StatusCode);
        Assert.Contains(bad.Expect, body, StringComparison.Ordinal);
        if (bad.Status == 200 || bad.Status == 201) Assert.NotNull(JsonNode.Parse(body));
    }
}
