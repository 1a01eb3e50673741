using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Cohort.Server.Store;
using Microsoft.AspNetCore.Identity;

namespace Cohort.Server.Security;

public sealed record UserAccount(string Id, string Username, string DisplayName, Role Role, bool? PiiAccess, bool Disabled, DateTimeOffset CreatedAt)
{
    public Actor ToActor() => new(Id, Username, Role, Roles.PermissionsOf(Role, PiiAccess));
}

public sealed record ApiToken(string Id, string UserId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A token as created: the secret is shown this once and only its SHA-256 hash is kept.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>
/// Local users (passwords hashed with ASP.NET Core Identity's PBKDF2 <see cref="PasswordHasher{TUser}"/>) and API
/// tokens (random 256-bit secrets, stored as SHA-256 hashes).
/// </summary>
public sealed class Accounts(MetadataStore store, TimeProvider clock)
{
    public const string TokenPrefix = "coh_";
    private static readonly PasswordHasher<string> Hasher = new();
    private const string UserColumns = "id, username, display_name, role, pii_access, disabled, created_at";

    public async Task<UserAccount> CreateUserAsync(string username, string displayName, Role role, string password, bool? piiAccess = null, CancellationToken ct = default)
    {
        var id = NewId("usr");
        await store.ExecuteAsync("""
            INSERT INTO users (id, username, display_name, role, pii_access, password_hash, disabled, created_at)
            VALUES (@id, @username, @display, @role, @pii, @hash, 0, @at)
            """, ct, ("@id", id), ("@username", username), ("@display", displayName), ("@role", Roles.NameOf(role)),
            ("@pii", piiAccess is null ? null : piiAccess.Value ? 1 : 0), ("@hash", Hasher.HashPassword(username, password)),
            ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return (await FindUserAsync(id, ct).ConfigureAwait(false))!;
    }

    public async Task<bool> AnyUserAsync(CancellationToken ct = default) =>
        (await store.QueryAsync("SELECT COUNT(*) FROM users", r => MetadataStore.Long(r, 0)!.Value, ct).ConfigureAwait(false))[0] > 0;

    public async Task<UserAccount?> FindUserAsync(string id, CancellationToken ct = default) =>
        (await store.QueryAsync($"SELECT {UserColumns} FROM users WHERE id = @id", ReadUser, ct, ("@id", id)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<UserAccount?> FindByUsernameAsync(string username, CancellationToken ct = default) =>
        (await store.QueryAsync($"SELECT {UserColumns} FROM users WHERE username = @u", ReadUser, ct, ("@u", username)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<List<UserAccount>> ListUsersAsync(CancellationToken ct = default) =>
        await store.QueryAsync($"SELECT {UserColumns} FROM users ORDER BY username", ReadUser, ct).ConfigureAwait(false);

    public async Task UpdateUserAsync(string id, Role role, bool? piiAccess, bool disabled, CancellationToken ct = default) =>
        await store.ExecuteAsync("UPDATE users SET role = @role, pii_access = @pii, disabled = @disabled WHERE id = @id", ct,
            ("@role", Roles.NameOf(role)), ("@pii", piiAccess is null ? null : piiAccess.Value ? 1 : 0), ("@disabled", disabled ? 1 : 0), ("@id", id)).ConfigureAwait(false);

    /// <summary>The user when the password is right and the account enabled; null otherwise (same answer for every failure).</summary>
    public async Task<UserAccount?> VerifyPasswordAsync(string username, string password, CancellationToken ct = default)
    {
        var rows = await store.QueryAsync($"SELECT {UserColumns}, password_hash FROM users WHERE username = @u",
            r => (User: ReadUser(r), Hash: r.GetString(7)), ct, ("@u", username)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            // Spend the same time as a real check so that response times do not reveal which usernames exist.
            Hasher.VerifyHashedPassword(username, Hasher.HashPassword(username, "x"), password);
            return null;
        }
        var (user, hash) = rows[0];
        var verdict = Hasher.VerifyHashedPassword(username, hash, password);
        return verdict == PasswordVerificationResult.Failed || user.Disabled ? null : user;
    }

    public async Task<CreatedToken> CreateTokenAsync(string userId, string name, CancellationToken ct = default)
    {
        var id = NewId("tok");
        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var now = clock.GetUtcNow();
        await store.ExecuteAsync("""
            INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (@id, @user, @name, @hash, @at)
            """, ct, ("@id", id), ("@user", userId), ("@name", name), ("@hash", Hash(secret)), ("@at", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return new CreatedToken(new ApiToken(id, userId, name, now, null, null), secret);
    }

    public async Task<List<ApiToken>> TokensOfAsync(string userId, CancellationToken ct = default) =>
        await store.QueryAsync("SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = @u ORDER BY created_at",
            ReadToken, ct, ("@u", userId)).ConfigureAwait(false);

    public async Task<ApiToken?> FindTokenAsync(string id, CancellationToken ct = default) =>
        (await store.QueryAsync("SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE id = @id",
            ReadToken, ct, ("@id", id)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<bool> RevokeTokenAsync(string id, CancellationToken ct = default) =>
        await store.ExecuteAsync("UPDATE api_tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", ct,
            ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@id", id)).ConfigureAwait(false) == 1;

    /// <summary>The enabled user a live token belongs to; null for an unknown, revoked or malformed token.</summary>
    public async Task<(UserAccount User, ApiToken Token)?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 200) return null;
        var rows = await store.QueryAsync("""
            SELECT t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t WHERE t.token_hash = @hash
            """, ReadToken, ct, ("@hash", Hash(secret))).ConfigureAwait(false);
        if (rows.Count == 0 || rows[0].RevokedAt is not null) return null;
        var user = await FindUserAsync(rows[0].UserId, ct).ConfigureAwait(false);
        if (user is null || user.Disabled) return null;
        await store.ExecuteAsync("UPDATE api_tokens SET last_used_at = @at WHERE id = @id", ct,
            ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@id", rows[0].Id)).ConfigureAwait(false);
        return (user, rows[0]);
    }

    public static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>A random password for the first admin: 20 characters from an unambiguous alphabet.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static UserAccount ReadUser(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Roles.TryParse(r.GetString(3), out var role) ? role : Role.Viewer,
        MetadataStore.Long(r, 4) is { } pii ? pii == 1 : null, MetadataStore.Long(r, 5) == 1,
        DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 6)!.Value));

    private static ApiToken ReadToken(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 3)!.Value),
        MetadataStore.Long(r, 4) is { } used ? DateTimeOffset.FromUnixTimeMilliseconds(used) : null,
        MetadataStore.Long(r, 5) is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
}
