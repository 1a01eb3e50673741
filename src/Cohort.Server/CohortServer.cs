using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Destinations.Catalog;
using Cohort.Server.Api;
using Cohort.Server.Projects;
using Cohort.Server.Scheduling;
using Cohort.Server.Security;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Cohort.Server.Studio;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cohort.Server;

/// <summary>A started server: where it listens, and the first admin's password when this run created it.</summary>
public sealed class RunningServer(WebApplication app, string url, string? firstRunPassword, string adminUsername) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    /// <summary>The base URL, e.g. http://127.0.0.1:5080 (the real port when 0 was asked for).</summary>
    public string Url { get; } = url;

    /// <summary>Set only on the run that created the first admin; shown once and never stored in clear.</summary>
    public string? FirstRunPassword { get; } = firstRunPassword;

    public string AdminUsername { get; } = adminUsername;

    public IServiceProvider Services => App.Services;

    public Task WaitForShutdownAsync(CancellationToken ct = default) => App.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Builds and starts the Cohort server: REST API, Studio, scheduler, on one metadata store.</summary>
public static class CohortServer
{
    public static async Task<RunningServer> StartAsync(ServerOptions options, CancellationToken ct = default)
    {
        var loaded = ProjectLoader.Load(options.ProjectPath);
        var projectFileProblems = loaded.Diagnostics.Where(d => d.IsError && d.Location?.File == ProjectDefinition.FileName).ToList();
        if (projectFileProblems.Count > 0) throw new CohortDiagnosticsException(projectFileProblems);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.ProjectDirectory, ApplicationName = typeof(CohortServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        if (!options.VerboseLogging) builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The key ring lives in the metadata store (or --key-dir), whose access is the protection; docs/server.md says so.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        AddServices(builder.Services, options, loaded.Project);

        var app = builder.Build();
        Configure(app);

        var store = app.Services.GetRequiredService<MetadataStore>();
        await store.MigrateAsync(ct).ConfigureAwait(false);
        var documents = app.Services.GetRequiredService<DocumentStore>();
        var state = app.Services.GetRequiredService<ProjectState>();
        documents.Changed += _ => state.Invalidate();

        var password = await BootstrapAdminAsync(app.Services, options, ct).ConfigureAwait(false);
        if (options.ImportProjectIfEmpty && await documents.GetAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, ct).ConfigureAwait(false) is null)
            await app.Services.GetRequiredService<ProjectTransfer>().ApplyAsync(Actor.System, options.ProjectPath, prune: false, ct).ConfigureAwait(false);

        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, address.Replace("[::]", "localhost", StringComparison.Ordinal), password, options.AdminUsername);
    }

    /// <summary>
    /// The server's services without a web host, for <c>cohort apply</c> and <c>cohort export</c>: the same store,
    /// versioning and audit code paths as the API. The store is migrated before this returns.
    /// </summary>
    public static async Task<ServiceProvider> CreateOfflineServicesAsync(ServerOptions options, CancellationToken ct = default)
    {
        var loaded = ProjectLoader.Load(options.ProjectPath);
        var services = new ServiceCollection();
        services.AddLogging();
        AddServices(services, options, loaded.Project);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MetadataStore>().MigrateAsync(ct).ConfigureAwait(false);
        var state = provider.GetRequiredService<ProjectState>();
        provider.GetRequiredService<DocumentStore>().Changed += _ => state.Invalidate();
        return provider;
    }

    internal static void AddServices(IServiceCollection services, ServerOptions options, ProjectDefinition project)
    {
        var store = MetadataStore.Open(options.StoreSpec);
        services.AddSingleton(store);
        services.AddSingleton(options.Clock);
        services.AddSingleton(options.Scheduler);
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Accounts>();
        services.AddSingleton<SizeHistory>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<SecretVault>();
        services.AddSingleton<Guard>();
        services.AddSingleton<ActorResolver>();
        services.TryAddSingleton(_ => options.Destinations ?? DestinationCatalog.CreateDefault());
        services.AddSingleton(sp => new ProjectState(project, sp.GetRequiredService<DocumentStore>(), sp.GetRequiredService<DestinationCatalog>(), options.Clock));
        services.AddSingleton<AudienceService>();
        services.AddSingleton<DefinitionService>();
        services.AddSingleton<PreviewRunner>();
        services.AddSingleton<IdentityService>();
        services.AddSingleton<ProjectTransfer>();
        services.AddSingleton<UserService>();
        services.AddSingleton<SchemaService>();
        services.AddSingleton(new SyncEngineSettings(options.SyncStatePath, options.Environment));
        services.AddSingleton<SyncRunService>();
        services.TryAddSingleton<ISyncRunner, EngineSyncRunner>();
        services.AddSingleton(sp => new SyncScheduler(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<ISyncRunner>(), sp.GetRequiredService<AuditLog>(),
            options.Clock, options.Scheduler, () => sp.GetRequiredService<ProjectState>().TimeZone, sp.GetRequiredService<ILogger<SyncScheduler>>()));
        services.AddHostedService<SchedulerService>();

        var protection = services.AddDataProtection().SetApplicationName("Cohort");
        if (options.KeyDirectory is not null) protection.PersistKeysToFileSystem(new DirectoryInfo(options.KeyDirectory));
        else services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeys(sp.GetRequiredService<MetadataStore>())));

        services.AddAuthentication(AuthSchemes.Cookie)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/login";
                o.Cookie.Name = "cohort.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = async context =>
                {
                    var resolver = context.HttpContext.RequestServices.GetRequiredService<ActorResolver>();
                    if (await resolver.ResolveAsync(context.Principal!, context.HttpContext.RequestAborted).ConfigureAwait(false) is null)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie).ConfigureAwait(false);
                    }
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(AuthSchemes.Bearer, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiEndpoints.Policy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        options.ConfigureServices?.Invoke(services);
    }

    internal static void Configure(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        StudioAssets.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Cohort API v1");
            o.RoutePrefix = "api/docs";
            o.DocumentTitle = "Cohort API";
        });
        ApiEndpoints.Map(app);
        AccountEndpoints.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }

    private static async Task<string?> BootstrapAdminAsync(IServiceProvider services, ServerOptions options, CancellationToken ct)
    {
        var accounts = services.GetRequiredService<Accounts>();
        if (await accounts.AnyUserAsync(ct).ConfigureAwait(false)) return null;
        var password = options.AdminPassword ?? Accounts.NewPassword();
        var admin = await accounts.CreateUserAsync(options.AdminUsername, "Administrator", Role.Admin, password, ct: ct).ConfigureAwait(false);
        await services.GetRequiredService<AuditLog>().WriteAsync("system", "user.create", "user", admin.Username, AuditOutcomes.Ok,
            after: "role admin", detail: "first-run administrator", ct: ct).ConfigureAwait(false);
        return options.AdminPassword is null ? password : null;
    }
}
