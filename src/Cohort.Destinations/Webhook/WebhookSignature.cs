using System.Security.Cryptography;
using System.Text;

namespace Cohort.Destinations.Webhook;

/// <summary>
/// The webhook signature (docs/destinations.md): <c>v1=</c> followed by the lowercase hex HMAC-SHA256, keyed with the
/// shared secret, of the timestamp header's value, a full stop, and the exact request body bytes. Receivers recompute
/// it, compare in constant time and reject timestamps too far from their clock (replays).
/// </summary>
public static class WebhookSignature
{
    public const string Scheme = "v1=";

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Scheme + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when <paramref name="signature"/> is the signature of the body and timestamp (constant-time comparison).</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
