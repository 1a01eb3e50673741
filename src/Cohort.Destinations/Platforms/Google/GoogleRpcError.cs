using System.Text.Json.Nodes;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Platforms.Google;

/// <summary>One error of a Google API error: its code (Google Ads error enum value or a BadRequest reason), message and field path.</summary>
internal sealed record GoogleErrorDetail(string? Code, string? Message, int? OperationIndex);

/// <summary>
/// Reads Google's error envelope (<c>{"error":{code,status,message,details[]}}</c>, google.rpc.Status) and the
/// Google Ads <c>GoogleAdsFailure</c> / <c>BadRequest</c> details inside it.
/// </summary>
internal static class GoogleRpcError
{
    private static readonly HashSet<string> TransientCodes = ["CONCURRENT_MODIFICATION", "RESOURCE_EXHAUSTED", "RESOURCE_TEMPORARILY_EXHAUSTED", "INTERNAL_ERROR", "TRANSIENT_ERROR", "DEADLINE_EXCEEDED", "UNAVAILABLE"];

    private static readonly HashSet<string> ConfigCodes =
    [
        "CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE", "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", "USER_PERMISSION_DENIED",
        "DEVELOPER_TOKEN_NOT_APPROVED", "DEVELOPER_TOKEN_PROHIBITED", "DEVELOPER_TOKEN_INVALID", "NOT_ADS_USER", "CUSTOMER_NOT_FOUND",
        "OAUTH_TOKEN_EXPIRED", "OAUTH_TOKEN_INVALID", "UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_USER_LIST", "USER_LIST_NOT_FOUND",
    ];

    public static VendorError Read(ApiResponse response)
    {
        var error = response.Json.Obj("error");
        if (error is null) return VendorError.None;
        var details = Details(error);
        var code = details.Select(d => d.Code).FirstOrDefault(c => c is not null) ?? error.Str("status");
        DestinationErrorClass? errorClass = null;
        if (code is not null && TransientCodes.Contains(code) || error.Str("status") is "RESOURCE_EXHAUSTED" or "UNAVAILABLE" or "DEADLINE_EXCEEDED")
            errorClass = DestinationErrorClass.Transient;
        else if (code is not null && ConfigCodes.Contains(code))
            errorClass = DestinationErrorClass.AuthOrConfig;
        return new VendorError(code, error.Str("message"), errorClass);
    }

    /// <summary>The errors of a google.rpc.Status (an <c>error</c> object or a <c>partialFailureError</c>).</summary>
    public static List<GoogleErrorDetail> Details(JsonObject status)
    {
        var list = new List<GoogleErrorDetail>();
        foreach (var detail in status.Arr("details") ?? [])
        {
            foreach (var e in detail.Arr("errors") ?? [])
            {
                var code = e.Obj("errorCode")?.Select(p => p.Value.AsString()).FirstOrDefault();
                int? index = null;
                foreach (var element in e.Obj("location").Arr("fieldPathElements") ?? [])
                {
                    if (element.Str("fieldName") == "operations" && element.Long("index") is { } i) { index = (int)i; break; }
                }
                list.Add(new GoogleErrorDetail(code, e.Str("message"), index));
            }
            foreach (var violation in detail.Arr("fieldViolations") ?? [])
            {
                list.Add(new GoogleErrorDetail(violation.Str("reason"), violation.Str("description") ?? violation.Str("field"), MemberIndex(violation.Str("field"))));
            }
            if (detail.Str("@type")?.EndsWith("ErrorInfo", StringComparison.Ordinal) == true && detail.Str("reason") is { } reason)
                list.Add(new GoogleErrorDetail(reason, null, null));
        }
        return list;
    }

    /// <summary>The member index in a Data Manager field path such as <c>audience_members.audience_members[3].user_data</c>.</summary>
    private static int? MemberIndex(string? field)
    {
        if (field is null) return null;
        var match = System.Text.RegularExpressions.Regex.Match(field, @"audience_members\[(\d+)\]");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
