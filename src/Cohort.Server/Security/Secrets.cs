using Cohort.Server.Store;
using Microsoft.AspNetCore.DataProtection;

namespace Cohort.Server.Security;

/// <summary>
/// Destination secrets, encrypted at rest with ASP.NET Core Data Protection (key ring in the metadata store).
/// Only <see cref="RevealAsync"/> decrypts, for the sync engine; the API and the Studio only ever see key names.
/// </summary>
public sealed class SecretVault(MetadataStore store, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Cohort.DestinationSecrets.v1");

    public async Task SetAsync(string destination, string key, string value, string author, CancellationToken ct = default)
    {
        var ciphertext = _protector.Protect($"{destination}\n{key}\n{value}");
        await store.InTransactionAsync(async (c, tx) =>
        {
            await MetadataStore.ExecuteAsync(c, tx, "DELETE FROM destination_secrets WHERE destination = @d AND secret_key = @k", ct, ("@d", destination), ("@k", key)).ConfigureAwait(false);
            await MetadataStore.ExecuteAsync(c, tx, """
                INSERT INTO destination_secrets (destination, secret_key, ciphertext, updated_at, updated_by) VALUES (@d, @k, @c, @at, @by)
                """, ct, ("@d", destination), ("@k", key), ("@c", ciphertext), ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@by", author)).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
    }

    public async Task<List<string>> KeysAsync(string destination, CancellationToken ct = default) =>
        await store.QueryAsync("SELECT secret_key FROM destination_secrets WHERE destination = @d ORDER BY secret_key", r => r.GetString(0), ct, ("@d", destination)).ConfigureAwait(false);

    public async Task RemoveAsync(string destination, string key, CancellationToken ct = default) =>
        await store.ExecuteAsync("DELETE FROM destination_secrets WHERE destination = @d AND secret_key = @k", ct, ("@d", destination), ("@k", key)).ConfigureAwait(false);

    public async Task RemoveAllAsync(string destination, CancellationToken ct = default) =>
        await store.ExecuteAsync("DELETE FROM destination_secrets WHERE destination = @d", ct, ("@d", destination)).ConfigureAwait(false);

    /// <summary>The plaintext secret, for the sync engine only. The ciphertext is bound to its destination and key.</summary>
    public async Task<string?> RevealAsync(string destination, string key, CancellationToken ct = default)
    {
        var rows = await store.QueryAsync("SELECT ciphertext FROM destination_secrets WHERE destination = @d AND secret_key = @k", r => r.GetString(0), ct, ("@d", destination), ("@k", key)).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var parts = _protector.Unprotect(rows[0]).Split('\n', 3);
        if (parts.Length != 3 || parts[0] != destination || parts[1] != key) throw new InvalidOperationException("A secret was moved between destinations.");
        return parts[2];
    }
}
