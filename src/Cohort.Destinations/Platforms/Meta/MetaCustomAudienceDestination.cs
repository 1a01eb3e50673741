using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Identifiers;

namespace Cohort.Destinations.Platforms.Meta;

/// <summary>Settings of a Meta customer-file custom audience; <see cref="AccessToken"/> needs <c>ads_management</c> and is resolved by the caller.</summary>
public sealed record MetaSettings(string AudienceId, string AccessToken)
{
    public Uri BaseUrl { get; init; } = new("https://graph.facebook.com/");

    public string ApiVersion { get; init; } = "v25.0";

    public string DefaultPhoneRegion { get; init; } = "US";

    /// <summary>How <c>2/3/1990</c>-style dates of birth are read.</summary>
    public DateOrder DateOrder { get; init; } = DateOrder.MonthFirst;

    /// <summary>At most 10,000 records per call (§2.4).</summary>
    public int MaxRecordsPerRequest { get; init; } = 10_000;

    public IdentifierProfile? Profile { get; init; }

    public bool IncludeErrorDetail { get; init; }
}

/// <summary>
/// Meta Marketing API custom audience users (§2): <c>POST /{version}/{audience}/users</c> to add and <c>DELETE</c> on
/// the same edge to remove, with <c>access_token</c>, <c>payload</c> (multi-key schema, rows in schema order, empty
/// strings for missing keys) and <c>session</c> (one session per operation and run, increasing <c>batch_seq</c>) as
/// form fields. Meta reports invalid rows only as a count and samples; a record whose value appears among the
/// samples is Rejected, every other sent record Succeeded.
/// </summary>
public sealed class MetaCustomAudienceDestination : PlatformDestination
{
    public const string TypeName = "meta-custom-audience";

    private static readonly (IdentifierType Type, string Column)[] Columns =
    [
        (IdentifierType.Email, "EMAIL"), (IdentifierType.Phone, "PHONE"), (IdentifierType.FirstName, "FN"), (IdentifierType.LastName, "LN"),
        (IdentifierType.City, "CT"), (IdentifierType.State, "ST"), (IdentifierType.ZipCode, "ZIP"), (IdentifierType.Country, "COUNTRY"),
        (IdentifierType.DateOfBirth, "DOBY"), (IdentifierType.DateOfBirth, "DOBM"), (IdentifierType.DateOfBirth, "DOBD"),
        (IdentifierType.Gender, "GEN"), (IdentifierType.MobileAdvertisingId, "MADID"), (IdentifierType.ExternalId, "EXTERN_ID"),
    ];

    private static readonly HashSet<long> TransientCodes = [1, 2, 4, 17, 32, 341, 613];
    private static readonly HashSet<long> AuthCodes = [10, 102, 190, 294, 368];

    private readonly MetaSettings _settings;
    private readonly Dictionary<BatchOperation, (long Id, int Sequence)> _sessions = [];

    public MetaCustomAudienceDestination(HttpClient http, MetaSettings settings, TimeProvider? timeProvider = null)
        : base(http, timeProvider, settings.IncludeErrorDetail)
    {
        if (settings.MaxRecordsPerRequest is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(settings), "MaxRecordsPerRequest must be 1..10,000.");
        _settings = settings;
        Profile = settings.Profile ?? PlatformProfiles.Meta(settings.DefaultPhoneRegion, settings.DateOrder);
        Descriptor = new DestinationDescriptor(TypeName, [BatchOperation.Add, BatchOperation.Remove], settings.MaxRecordsPerRequest,
            MaxConcurrentRequests: 1, Identifiers: Profile.Types);
    }

    public override DestinationDescriptor Descriptor { get; }

    protected override string Platform => "Meta";

    protected override IdentifierProfile Profile { get; }

    protected override async Task<IReadOnlyList<RecordResult>> SendPreparedAsync(BatchOperation operation, IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var columns = Columns.Where(c => records.Any(r => r.Identifiers.Has(c.Type))).ToArray();
        var rows = records.Select(r => columns.Select(c => Cell(r, c.Column, c.Type)).ToArray()).ToArray();
        var data = new JsonArray([.. rows.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)JsonValue.Create(v))]))]);
        var payload = new JsonObject
        {
            ["schema"] = new JsonArray([.. columns.Select(c => (JsonNode)JsonValue.Create(c.Column))]),
            ["data"] = data,
        };
        var (sessionId, sequence) = NextSession(operation);
        var session = new JsonObject { ["session_id"] = sessionId, ["batch_seq"] = sequence, ["last_batch_flag"] = false };

        var method = operation == BatchOperation.Add ? HttpMethod.Post : HttpMethod.Delete;
        var request = new HttpRequestMessage(method, Combine(_settings.BaseUrl, $"{_settings.ApiVersion}/{_settings.AudienceId}/users"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("access_token", _settings.AccessToken),
                new("payload", payload.ToJsonString()),
                new("session", session.ToJsonString()),
            ]),
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = response.Json;
        if (json is not JsonObject || json.Long("num_received") is null) throw Unreadable(response, "a users-edge response with num_received");

        var samples = json.Obj("invalid_entry_samples");
        var results = new RecordResult[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var sample = samples?.FirstOrDefault(s => rows[i].Contains(s.Key, StringComparer.Ordinal));
            results[i] = sample is { Key: not null } hit
                ? Rejected(records[i], Reason(records[i], "invalid entry", hit.Value.AsString()))
                : Ok(records[i]);
        }
        return results;
    }

    /// <summary>Ends the run's upload sessions; the next run starts new ones.</summary>
    public override Task CompleteAsync(CancellationToken cancellationToken)
    {
        _sessions.Clear();
        return Task.CompletedTask;
    }

    protected override VendorError ReadError(ApiResponse response)
    {
        var error = response.Json.Obj("error");
        if (error is null) return VendorError.None;
        var code = error.Long("code");
        var subcode = error.Long("error_subcode");
        DestinationErrorClass? errorClass = null;
        if (error.Bool("is_transient") == true || code is { } c && (TransientCodes.Contains(c) || c is >= 80000 and <= 80014))
            errorClass = DestinationErrorClass.Transient;
        else if (code is { } a && (AuthCodes.Contains(a) || a is >= 200 and <= 299) || code == 100 && subcode == 1713230)
            errorClass = DestinationErrorClass.AuthOrConfig;
        var vendorCode = code is null ? null : subcode is null ? code.ToString() : $"{code}/{subcode}";
        return new VendorError(vendorCode, error.Str("error_user_title") ?? error.Str("message"), errorClass);
    }

    private (long, int) NextSession(BatchOperation operation)
    {
        var (id, sequence) = _sessions.TryGetValue(operation, out var s) ? s : (RandomNumberGenerator.GetInt32(1, int.MaxValue) * 4096L + RandomNumberGenerator.GetInt32(4096), 0);
        _sessions[operation] = (id, sequence + 1);
        return (id, sequence + 1);
    }

    private static string Cell(PreparedRecord record, string column, IdentifierType type)
    {
        if (!record.Identifiers.Identifiers.TryGetValue(type, out var id)) return "";
        if (type != IdentifierType.DateOfBirth) return id.Value;
        var date = id.Normalized; // yyyyMMdd
        return column switch
        {
            "DOBY" => IdentifierHasher.Sha256Hex(date[..4]),
            "DOBM" => IdentifierHasher.Sha256Hex(date[4..6]),
            _ => IdentifierHasher.Sha256Hex(date[6..8]),
        };
    }
}
