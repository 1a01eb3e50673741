using System.Security.Claims;
using System.Text.Encodings.Web;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cohort.Server.Security;

public static class AuthSchemes
{
    /// <summary>API tokens in <c>Authorization: Bearer coh_…</c>. The only scheme the REST API accepts, so no cookie can be replayed cross-site against it.</summary>
    public const string Bearer = "Bearer";

    /// <summary>The Studio's session cookie (HttpOnly, SameSite=Strict); forms carry antiforgery tokens.</summary>
    public const string Cookie = "Cookies";

    public const string UserIdClaim = "cohort:user_id";
}

/// <summary>Authenticates API tokens against the store. Unknown or revoked tokens are refused and audited.</summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Accounts accounts, AuditLog audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        var found = await accounts.AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (found is not { } pair)
        {
            await audit.WriteAsync("anonymous", "auth.token", "api", $"{Request.Method} {Request.Path}", AuditOutcomes.Denied,
                detail: "unknown, revoked or malformed token, or disabled user", ct: Context.RequestAborted).ConfigureAwait(false);
            return AuthenticateResult.Fail("The token is unknown or revoked.");
        }
        var identity = new ClaimsIdentity(Claims.For(pair.User), Scheme.Name);
        identity.AddClaim(new Claim("cohort:token_id", pair.Token.Id));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required",
            "Send an API token as 'Authorization: Bearer <token>'. Create one in the Studio or with POST /api/auth/token.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "Your role does not allow this.");
}

public static class Claims
{
    public static IEnumerable<Claim> For(UserAccount user) =>
    [
        new(AuthSchemes.UserIdClaim, user.Id),
        new(ClaimTypes.Name, user.Username),
        new(ClaimTypes.Role, Roles.NameOf(user.Role)),
    ];

    public static string? UserId(this ClaimsPrincipal principal) => principal.FindFirst(AuthSchemes.UserIdClaim)?.Value;
}

/// <summary>
/// Resolves the acting user for a request or a Studio circuit from the store (not from claims alone), so a changed
/// role or a disabled account takes effect at once.
/// </summary>
public sealed class ActorResolver(Accounts accounts)
{
    public async Task<Actor?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (principal.UserId() is not { } id) return null;
        var user = await accounts.FindUserAsync(id, ct).ConfigureAwait(false);
        return user is null || user.Disabled ? null : user.ToActor();
    }
}
