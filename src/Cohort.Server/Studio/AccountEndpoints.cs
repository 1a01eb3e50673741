using System.Security.Claims;
using Cohort.Server.Security;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Studio;

/// <summary>
/// The Studio's sign-in and sign-out form posts. Form-bound minimal API endpoints validate the antiforgery token
/// (UseAntiforgery), so a cross-site form cannot sign someone in or out.
/// </summary>
public static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async Task<RedirectHttpResult> ([FromForm] string username, [FromForm] string password, [FromForm] string? returnUrl,
            HttpContext context, Accounts accounts, AuditLog audit) =>
        {
            var user = await accounts.VerifyPasswordAsync(username, password, context.RequestAborted);
            if (user is null)
            {
                await audit.WriteAsync(username, "auth.login", "studio", "login", AuditOutcomes.Denied, detail: "wrong username or password", ct: context.RequestAborted);
                return TypedResults.LocalRedirect("/login?failed=1" + (returnUrl is { Length: > 0 } ? "&returnUrl=" + Uri.EscapeDataString(returnUrl) : ""));
            }
            var identity = new ClaimsIdentity(Claims.For(user), AuthSchemes.Cookie);
            await context.SignInAsync(AuthSchemes.Cookie, new ClaimsPrincipal(identity));
            await audit.WriteAsync(user.Username, "auth.login", "studio", "login", AuditOutcomes.Ok, ct: context.RequestAborted);
            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/audiences");
        }).ExcludeFromDescription();

        app.MapPost("/account/logout", async Task<RedirectHttpResult> (HttpContext context) =>
        {
            await context.SignOutAsync(AuthSchemes.Cookie);
            return TypedResults.LocalRedirect("/login");
        }).ExcludeFromDescription();
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}

/// <summary>
/// Serves the Studio's own assets and the framework's blazor.web.js from embedded resources: no CDN, no
/// static-web-assets manifest in the hosting process (so the CLI and the tests host the Studio the same way).
/// </summary>
internal static class StudioAssets
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/_framework/blazor.web.js", () => Asset("blazor.web.js", "text/javascript")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/studio/{file}", (string file) => Asset(file, file.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript"))
            .ExcludeFromDescription().AllowAnonymous();
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(StudioAssets).Assembly.GetManifestResourceStream("Cohort.Studio." + name);
        return stream is null ? TypedResults.NotFound() : TypedResults.Stream(stream, contentType);
    }
}
