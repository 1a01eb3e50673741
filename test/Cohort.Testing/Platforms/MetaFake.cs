using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohort.Testing.Platforms;

/// <summary>
/// Meta custom audience users edge (§2.8): access_token (error 190), POST adds / DELETE removes, ≤10,000 rows, rows as
/// long as the schema, hashed columns 64 lowercase hex or empty, MADID/EXTERN_ID raw, a session with increasing
/// batch_seq and nothing after last_batch_flag, blocked audiences (100/1713230). Invalid rows are counted and
/// sampled, not refused.
/// </summary>
public sealed class MetaFake : FakePlatformServer
{
    public const string AccessToken = "EAAB-good";
    public const string AudienceId = "23850000000000001";

    private static readonly HashSet<string> Known = ["EMAIL", "PHONE", "FN", "LN", "CT", "ST", "ZIP", "COUNTRY", "DOBY", "DOBM", "DOBD", "GEN", "MADID", "EXTERN_ID", "FI"];
    private static readonly HashSet<string> Raw = ["MADID", "EXTERN_ID"];
    private readonly Dictionary<long, (long Sequence, bool Closed)> _sessions = [];

    /// <summary>The audience as <c>COLUMN:value</c> entries.</summary>
    public HashSet<string> Members { get; } = [];

    public HashSet<string> InvalidValues { get; } = [];

    public bool Blocked { get; set; }

    protected override async Task HandleAsync(FakeRequest request, HttpResponse response)
    {
        var form = request.Form;
        var token = form.GetValueOrDefault("access_token") ?? request.Query["access_token"].ToString();
        if (token != AccessToken) throw Reject(400, "190", "Invalid OAuth access token - Cannot parse access token");
        if (!request.Path.EndsWith($"/{AudienceId}/users", StringComparison.Ordinal)) throw Reject(400, "100", "Unsupported post request. Object does not exist");
        if (request.Method is not ("POST" or "DELETE")) throw Reject(400, "100", "Unsupported method");
        if (Blocked) throw Reject(400, "100/1713230", "Audience Upload Blocked");

        var payload = Parse(form.GetValueOrDefault("payload")) ?? throw Reject(400, "100", "(#100) The parameter payload is required");
        var session = Parse(form.GetValueOrDefault("session")) ?? throw Reject(400, "100", "(#100) The parameter session is required");
        var sessionId = (long?)session["session_id"] ?? throw Reject(400, "100", "session_id is required");
        var sequence = (long?)session["batch_seq"] ?? throw Reject(400, "100", "batch_seq is required");
        if (_sessions.TryGetValue(sessionId, out var known))
        {
            if (known.Closed) throw Reject(400, "100", "The session has ended (last_batch_flag)");
            if (sequence <= known.Sequence) throw Reject(400, "100", "batch_seq must increase within a session");
        }
        _sessions[sessionId] = (sequence, (bool?)session["last_batch_flag"] == true);

        var schemaNode = payload["schema"];
        string[] schema = schemaNode is JsonArray a ? [.. a.Select(s => (string)s!)] : [(string)schemaNode!];
        if (schema.Length == 0 || schema.Any(s => !Known.Contains(s))) throw Reject(400, "100", "(#100) Invalid schema");
        var data = payload["data"] as JsonArray ?? throw Reject(400, "100", "(#100) data is required");
        if (data.Count > 10_000) throw Reject(400, "100", "(#100) Too many users in one request (max 10000)");

        var invalid = 0;
        var samples = new JsonObject();
        foreach (var rowNode in data)
        {
            var row = rowNode as JsonArray;
            if (row is null || row.Count != schema.Length) throw Reject(400, "100", "(#100) Each data row must have as many values as the schema");
            var entries = new List<string>();
            string? bad = null;
            for (var c = 0; c < schema.Length; c++)
            {
                var value = (string?)row[c] ?? "";
                if (value.Length == 0) continue;
                if (!Raw.Contains(schema[c]) && !IsHex64Lower(value)) throw Reject(400, "100", $"(#100) {schema[c]} values must be SHA-256 hashed (lowercase hex)");
                if (InvalidValues.Contains(value)) bad = value;
                entries.Add(schema[c] + ":" + value);
            }
            if (entries.Count == 0 || bad is not null)
            {
                invalid++;
                if (bad is not null) samples[bad] = "Invalid format";
                continue;
            }
            foreach (var e in entries)
            {
                if (request.Method == "POST") Members.Add(e);
                else Members.Remove(e);
            }
        }
        await WriteJsonAsync(response, new JsonObject
        {
            ["audience_id"] = AudienceId,
            ["session_id"] = sessionId,
            ["num_received"] = data.Count,
            ["num_invalid_entries"] = invalid,
            ["invalid_entry_samples"] = samples,
        });
    }

    private static JsonObject? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    protected override Task WriteErrorAsync(HttpResponse response, int status, string code, string message)
    {
        if (code == "INJECTED") code = status switch { 401 => "190", 403 => "200", 429 => "17/2446079", >= 500 => "2", _ => "100" };
        var parts = code.Split('/');
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            ["fbtrace_id"] = "AbCdEf123",
        };
        if (parts.Length > 1) error["error_subcode"] = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return WriteJsonAsync(response, new JsonObject { ["error"] = error }, status);
    }
}
