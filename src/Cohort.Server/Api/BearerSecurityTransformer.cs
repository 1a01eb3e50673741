using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cohort.Server.Api;

/// <summary>Declares the bearer-token scheme in the OpenAPI document so the reference can send a token.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Cohort API";
        document.Info.Description = "Audiences, schema, previews, destinations, syncs and runs. Send 'Authorization: Bearer <token>'. Errors are RFC 9457 problem details; definition errors carry the diagnostics in 'errors'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token (coh_...) created in the Studio or with POST /api/auth/token.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
