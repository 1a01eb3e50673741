using Cohort.Server.Security;
using Cohort.Server.Services;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cohort.Server.Api;

public sealed record TokenRequest(string Username, string Password, string? Name);

public sealed record TokenResponse(string Id, string Token, string Name, string UserId, string Username, string Role);

public sealed record UserDto(string Id, string Username, string DisplayName, string Role, bool PiiAccess, bool? PiiOverride, bool Disabled, IReadOnlyList<string> Permissions)
{
    public static UserDto From(UserAccount u)
    {
        var actor = u.ToActor();
        return new(u.Id, u.Username, u.DisplayName, Roles.NameOf(u.Role), actor.CanViewPii, u.PiiAccess, u.Disabled,
            [.. actor.Permissions.Select(p => p.ToString()).Order(StringComparer.Ordinal)]);
    }
}

public sealed record TokenDto(string Id, string UserId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static TokenDto From(ApiToken t) => new(t.Id, t.UserId, t.Name, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}

public sealed record CreateUserRequest(string Username, string? DisplayName, string Role, string Password, bool? PiiAccess);

public sealed record UpdateUserRequest(string? Role, bool? PiiAccess, bool? ClearPiiOverride, bool? Disabled);

public sealed record CreateTokenRequest(string? Name);

public static class AuthApi
{
    /// <summary>POST /api/auth/token: exchange a username and password for a new API token (shown once).</summary>
    public static void MapAuthApi(RouteGroupBuilder group) =>
        group.MapPost("/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (TokenRequest request, Accounts accounts, AuditLog audit, HttpContext context) =>
        {
            var user = await accounts.VerifyPasswordAsync(request.Username ?? "", request.Password ?? "", context.RequestAborted);
            if (user is null)
            {
                await audit.WriteAsync(request.Username ?? "", "auth.login", "api", "token", AuditOutcomes.Denied, detail: "wrong username or password", ct: context.RequestAborted);
                return Problems.Create(StatusCodes.Status401Unauthorized, "unauthenticated", "Wrong username or password", "Check both and try again.");
            }
            var token = await accounts.CreateTokenAsync(user.Id, request.Name ?? "api", context.RequestAborted);
            await audit.WriteAsync(user.Username, "token.create", "user", user.Username, AuditOutcomes.Ok, after: $"token {token.Token.Id} '{token.Token.Name}'", ct: context.RequestAborted);
            return TypedResults.Ok(new TokenResponse(token.Token.Id, token.Secret, token.Token.Name, user.Id, user.Username, Roles.NameOf(user.Role)));
        }).AllowAnonymous().WithSummary("Exchange a username and password for an API token (shown once).");
}

public static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Users");
        me.MapGet("/", async Task<Ok<UserDto>> (HttpContext c, Accounts accounts) =>
            TypedResults.Ok(UserDto.From((await accounts.FindUserAsync((await c.ActorAsync()).UserId, c.RequestAborted))!)));
        me.MapGet("/tokens", async Task<Ok<List<TokenDto>>> (HttpContext c, UserService users) =>
        {
            var actor = await c.ActorAsync();
            return TypedResults.Ok((await users.TokensAsync(actor, actor.UserId, c.RequestAborted)).Select(TokenDto.From).ToList());
        });
        me.MapPost("/tokens", async Task<Ok<TokenResponse>> (CreateTokenRequest request, HttpContext c, UserService users) =>
        {
            var actor = await c.ActorAsync();
            var token = await users.CreateTokenAsync(actor, actor.UserId, request.Name ?? "api", c.RequestAborted);
            return TypedResults.Ok(new TokenResponse(token.Token.Id, token.Secret, token.Token.Name, actor.UserId, actor.Username, Roles.NameOf(actor.Role)));
        });
        api.MapDelete("/tokens/{id}", async Task<NoContent> (string id, HttpContext c, UserService users) =>
        {
            await users.RevokeTokenAsync(await c.ActorAsync(), id, c.RequestAborted);
            return TypedResults.NoContent();
        }).WithTags("Users").WithSummary("Revoke a token (your own; any with the ManageUsers permission).");

        var admin = api.MapGroup("/users").WithTags("Users");
        admin.MapGet("/", async Task<Ok<List<UserDto>>> (HttpContext c, UserService users) =>
            TypedResults.Ok((await users.ListAsync(await c.ActorAsync(), c.RequestAborted)).Select(UserDto.From).ToList()));
        admin.MapPost("/", async Task<Created<UserDto>> (CreateUserRequest request, HttpContext c, UserService users) =>
        {
            var user = await users.CreateAsync(await c.ActorAsync(), request.Username ?? "", request.DisplayName, request.Role ?? "", request.Password ?? "", request.PiiAccess, c.RequestAborted);
            return TypedResults.Created($"/api/users/{user.Id}", UserDto.From(user));
        });
        admin.MapPatch("/{id}", async Task<Ok<UserDto>> (string id, UpdateUserRequest request, HttpContext c, UserService users) =>
            TypedResults.Ok(UserDto.From(await users.UpdateAsync(await c.ActorAsync(), id, request.Role, request.PiiAccess, request.ClearPiiOverride == true, request.Disabled, c.RequestAborted))));
        admin.MapGet("/{id}/tokens", async Task<Ok<List<TokenDto>>> (string id, HttpContext c, UserService users) =>
            TypedResults.Ok((await users.TokensAsync(await c.ActorAsync(), id, c.RequestAborted)).Select(TokenDto.From).ToList()));
        admin.MapPost("/{id}/tokens", async Task<Ok<TokenResponse>> (string id, CreateTokenRequest request, HttpContext c, UserService users, Accounts accounts) =>
        {
            var token = await users.CreateTokenAsync(await c.ActorAsync(), id, request.Name ?? "api", c.RequestAborted);
            var user = (await accounts.FindUserAsync(id, c.RequestAborted))!;
            return TypedResults.Ok(new TokenResponse(token.Token.Id, token.Secret, token.Token.Name, user.Id, user.Username, Roles.NameOf(user.Role)));
        });
    }
}

public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api) =>
        api.MapGet("/audit", async Task<Ok<List<AuditEntry>>> (HttpContext c, AuditLog audit, Guard guard, int? limit, long? before, string? action, string? outcome) =>
        {
            await guard.RequireAsync(await c.ActorAsync(), Security.Permission.ReadAudit, "audit.read", "audit", "*", c.RequestAborted);
            return TypedResults.Ok(await audit.ReadAsync(limit ?? 100, before, action, outcome, c.RequestAborted));
        }).WithTags("Audit").WithSummary("The append-only audit log, newest first (admin).");
}
