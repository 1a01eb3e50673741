using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>User and token management with permission checks and audit entries.</summary>
public sealed class UserService(Accounts accounts, AuditLog audit, Guard guard)
{
    public async Task<List<UserAccount>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageUsers, "user.list", "user", "*", ct).ConfigureAwait(false);
        return await accounts.ListUsersAsync(ct).ConfigureAwait(false);
    }

    public async Task<UserAccount> CreateAsync(Actor actor, string username, string? displayName, string role, string password, bool? piiAccess, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageUsers, "user.create", "user", username, ct).ConfigureAwait(false);
        if (!DefinitionService.NamePattern().IsMatch(username)) throw new RequestException("Invalid username", "Use letters, digits, '_' and '-' (at most 100 characters).");
        if (!Roles.TryParse(role, out var parsed)) throw new RequestException("Unknown role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.Names)}.");
        if (password.Length < 12) throw new RequestException("Password too short", "Passwords need at least 12 characters.");
        if (await accounts.FindByUsernameAsync(username, ct).ConfigureAwait(false) is not null) throw new RequestException("User exists", $"There is already a user named '{username}'.");
        var user = await accounts.CreateUserAsync(username, displayName ?? username, parsed, password, piiAccess, ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "user.create", "user", username, AuditOutcomes.Ok, after: Describe(user), ct: ct).ConfigureAwait(false);
        return user;
    }

    public async Task<UserAccount> UpdateAsync(Actor actor, string id, string? role, bool? piiAccess, bool clearPiiOverride, bool? disabled, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageUsers, "user.update", "user", id, ct).ConfigureAwait(false);
        var user = await accounts.FindUserAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException("user", id);
        var newRole = user.Role;
        if (role is not null && !Roles.TryParse(role, out newRole)) throw new RequestException("Unknown role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.Names)}.");
        var pii = clearPiiOverride ? null : piiAccess ?? user.PiiAccess;
        await accounts.UpdateUserAsync(id, newRole, pii, disabled ?? user.Disabled, ct).ConfigureAwait(false);
        var updated = (await accounts.FindUserAsync(id, ct).ConfigureAwait(false))!;
        await audit.WriteAsync(actor.Username, "user.update", "user", user.Username, AuditOutcomes.Ok, Describe(user), Describe(updated), ct: ct).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Creates a token for the actor, or (with ManageUsers) for another user.</summary>
    public async Task<CreatedToken> CreateTokenAsync(Actor actor, string userId, string name, CancellationToken ct = default)
    {
        if (userId != actor.UserId)
            await guard.RequireAsync(actor, Permission.ManageUsers, "token.create", "user", userId, ct).ConfigureAwait(false);
        var user = await accounts.FindUserAsync(userId, ct).ConfigureAwait(false) ?? throw new NotFoundException("user", userId);
        var token = await accounts.CreateTokenAsync(user.Id, string.IsNullOrWhiteSpace(name) ? "api" : name.Trim(), ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "token.create", "user", user.Username, AuditOutcomes.Ok, after: $"token {token.Token.Id} '{token.Token.Name}'", ct: ct).ConfigureAwait(false);
        return token;
    }

    public async Task<List<ApiToken>> TokensAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        if (userId != actor.UserId)
            await guard.RequireAsync(actor, Permission.ManageUsers, "token.list", "user", userId, ct).ConfigureAwait(false);
        return await accounts.TokensOfAsync(userId, ct).ConfigureAwait(false);
    }

    /// <summary>Revokes one of the actor's own tokens; another user's only with ManageUsers (refused and audited otherwise).</summary>
    public async Task RevokeTokenAsync(Actor actor, string tokenId, CancellationToken ct = default)
    {
        var token = await accounts.FindTokenAsync(tokenId, ct).ConfigureAwait(false) ?? throw new NotFoundException("token", tokenId);
        if (token.UserId != actor.UserId)
            await guard.RequireAsync(actor, Permission.ManageUsers, "token.revoke", "token", tokenId, ct).ConfigureAwait(false);
        await accounts.RevokeTokenAsync(tokenId, ct).ConfigureAwait(false);
        await audit.WriteAsync(actor.Username, "token.revoke", "token", tokenId, AuditOutcomes.Ok, detail: $"token of user {token.UserId}", ct: ct).ConfigureAwait(false);
    }

    private static string Describe(UserAccount u) =>
        $"role {Roles.NameOf(u.Role)}, pii {(u.PiiAccess is null ? "by role" : u.PiiAccess.Value ? "granted" : "withdrawn")}, {(u.Disabled ? "disabled" : "enabled")}";
}
