using Cohort.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Api;

/// <summary>The REST API under /api: bearer tokens only, one Map…Api class per feature.</summary>
public static class ApiEndpoints
{
    public const string Policy = "api";

    public static void Map(IEndpointRouteBuilder app)
    {
        AuthApi.MapAuthApi(app.MapGroup("/api/auth").WithTags("Auth"));
        var api = app.MapGroup("/api").RequireAuthorization(Policy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapUsersApi();
        api.MapSourcesApi();
        api.MapSchemaApi();
        api.MapAudiencesApi();
        api.MapPreviewsApi();
        api.MapDestinationsApi();
        api.MapSyncsApi();
        api.MapIdentityApi();
        api.MapAuditApi();
    }

    /// <summary>The acting user of an authenticated API request (re-read from the store).</summary>
    internal static async Task<Actor> ActorAsync(this HttpContext context)
    {
        var resolver = context.RequestServices.GetRequiredService<ActorResolver>();
        return await resolver.ResolveAsync(context.User, context.RequestAborted).ConfigureAwait(false)
            ?? throw new UnauthorizedAccessException("The user no longer exists or is disabled.");
    }
}
