using System.Security.Cryptography;
using System.Text;

namespace Cohort.Destinations.Identifiers;

/// <summary>How a normalised identifier is encoded before it is sent.</summary>
public enum HashEncoding
{
    /// <summary>Sent as normalised, not hashed (e.g. Google's country and postal codes, mobile advertising ids).</summary>
    None,
    /// <summary>SHA-256 of the UTF-8 bytes, as 64 lowercase hex characters.</summary>
    Sha256Hex,
    /// <summary>SHA-256 of the UTF-8 bytes, as standard Base64 of the 32 raw bytes (UID2 convention; not Base64 of the hex text).</summary>
    Sha256Base64,
    /// <summary>MD5 of the UTF-8 bytes, as 32 lowercase hex characters (Mailchimp subscriber hash, TikTok MAID option).</summary>
    Md5Hex,
}

/// <summary>The hash functions used by platforms, and recognition of values that arrive already hashed.</summary>
public static class IdentifierHasher
{
    public static string Sha256Hex(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    public static string Sha256Base64(string normalized) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    // MD5 is what Mailchimp (member ids) and TikTok (MAID) specify; it is an identifier digest here, not security.
#pragma warning disable CA5351 // Do not use broken cryptographic algorithms: the platform defines the id as MD5.
    public static string Md5Hex(string normalized) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(normalized)));
#pragma warning restore CA5351

    /// <summary>Mailchimp's member id: MD5 of the lowercased email address.</summary>
    public static string MailchimpSubscriberHash(string email) => Md5Hex(email.Trim().ToLowerInvariant());

    public static string Encode(string normalized, HashEncoding encoding) => encoding switch
    {
        HashEncoding.None => normalized,
        HashEncoding.Sha256Hex => Sha256Hex(normalized),
        HashEncoding.Sha256Base64 => Sha256Base64(normalized),
        HashEncoding.Md5Hex => Md5Hex(normalized),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    /// <summary>
    /// Recognises a value that is already a digest of the kind <paramref name="encoding"/> produces and returns it in
    /// exactly the platform's form: hex digests are lowercased (hex case carries no information), a SHA-256 given as
    /// hex is re-encoded as Base64 for Base64 platforms and vice versa. Returns false for anything else.
    /// </summary>
    public static bool TryRecognizeDigest(string value, HashEncoding encoding, out string digest)
    {
        digest = "";
        var trimmed = value.Trim();
        switch (encoding)
        {
            case HashEncoding.Sha256Hex:
                if (IsHex(trimmed, 64)) { digest = trimmed.ToLowerInvariant(); return true; }
                if (TryBase64Of(trimmed, 32, out var bytes)) { digest = Convert.ToHexStringLower(bytes); return true; }
                return false;
            case HashEncoding.Sha256Base64:
                if (IsHex(trimmed, 64)) { digest = Convert.ToBase64String(Convert.FromHexString(trimmed)); return true; }
                if (TryBase64Of(trimmed, 32, out _)) { digest = trimmed; return true; }
                return false;
            case HashEncoding.Md5Hex:
                if (IsHex(trimmed, 32)) { digest = trimmed.ToLowerInvariant(); return true; }
                return false;
            default:
                return false;
        }
    }

    public static bool IsHex(string value, int length)
    {
        if (value.Length != length) return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }

    public static bool IsLowercaseHex(string value, int length) =>
        IsHex(value, length) && !value.Any(char.IsAsciiLetterUpper);

    private static bool TryBase64Of(string value, int byteLength, out byte[] bytes)
    {
        bytes = [];
        if (value.Length != (byteLength + 2) / 3 * 4) return false;
        var buffer = new byte[byteLength + 3];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written != byteLength) return false;
        bytes = buffer[..written];
        return true;
    }
}
