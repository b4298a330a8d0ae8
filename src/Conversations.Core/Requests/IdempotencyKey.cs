using System.Security.Cryptography;
using OneOf;

namespace Conversations.Core.Requests;

/// <summary>
/// A client's <c>Idempotency-Key</c> with a fingerprint of the request it came with. A repeat with the
/// same key and the same request gets the first result; the same key with a different request is refused.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IdempotencyKey(
    [property: Id(0)] string Key,
    [property: Id(1)] string RequestHash)
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>How long a key's first result is kept and replayed.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>The key from the header and a hash of what it protects (the route and the body's bytes).</summary>
    public static OneOf<IdempotencyKey, ValidationError> From(string header, string route, ReadOnlySpan<byte> body)
    {
        if (header.Length is 0 or > MaxLength || !header.All(c => c is >= '!' and <= '~'))
        {
            return new ValidationError(
                $"The {Header} header must be 1 to {MaxLength} printable ASCII characters without spaces.", Header, "invalid_idempotency_key");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(route));
        hash.AppendData([0]);
        hash.AppendData(body);
        return new IdempotencyKey(header, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
