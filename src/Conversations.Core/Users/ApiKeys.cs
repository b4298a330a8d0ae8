using System.Security.Cryptography;
using System.Text;

namespace Conversations.Core.Users;

/// <summary>
/// The form of API keys and how they are kept: a key is a recognisable prefix and 192 random bits
/// in hex (guessing is hopeless), stored only as an HMAC-SHA256 under a service-wide secret.
/// </summary>
public static class ApiKeys
{
    public const string UserKeyPrefix = "sk-conv-";
    public const string AdminKeyPrefix = "sk-admin-";
    public const int RandomBytes = 24;

    /// <summary>How much of a key stays visible, so people can tell their keys apart.</summary>
    public const int VisiblePrefixLength = 16;

    public static string Format(string prefix, ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomBytes)
        {
            throw new ArgumentException($"A key needs exactly {RandomBytes} random bytes.", nameof(random));
        }

        return prefix + Convert.ToHexStringLower(random);
    }

    public static string VisiblePrefix(string key) => key.Length <= VisiblePrefixLength ? key : key[..VisiblePrefixLength];

    /// <summary>The keyed hash a key is stored and looked up by, as lowercase hex.</summary>
    public static string Hash(ReadOnlySpan<byte> secret, string key)
    {
        Span<byte> utf8 = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, utf8[..length], mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Compares two stored hashes without leaking, through timing, how much of them matched. UTF-8, not
    /// ASCII: ASCII turns every other character into '?', which would make different strings equal.
    /// </summary>
    public static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
