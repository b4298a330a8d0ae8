using System.Security.Cryptography;
using OneOf;

namespace Conversations.Core.Requests;

/// <summary>
/// A client's <c>Idempotency-Key</c> with a fingerprint of the request it came with. A repeat with the
/// same key and the same request gets the first result; the same key with a different request is refused.
/// </summary>
/// <param name="Implicit">
/// Not the client's key but the service's own retry protection (<see cref="Retry"/>): the request's
/// fingerprint, remembered for the conversation's last turn only and for <see cref="RetryWindow"/>.
/// </param>
/// <param name="IsRetry">
/// For the retry protection: the request says it is a retry, so it is answered with the last turn when
/// it repeats it. Any other request is run and remembered, never answered from memory.
/// </param>
[GenerateSerializer, Immutable]
public sealed record IdempotencyKey(
    [property: Id(0)] string Key,
    [property: Id(1)] string RequestHash,
    [property: Id(2)] bool Implicit = false,
    [property: Id(3)] bool IsRetry = false)
{
    /// <summary>
    /// The name the retry protection is remembered under. It has a space, which a client's key cannot
    /// have, so it never meets one.
    /// </summary>
    public const string RetryName = "last turn";

    /// <summary>
    /// How long a conversation's last turn is answered again to an identical request sent without a key:
    /// long enough for an SDK's automatic retries after a lost answer, short enough that a person who
    /// sends the same words again later gets a new turn.
    /// </summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The retry protection of a request sent without a key: the route and the body's fingerprint. The
    /// official SDKs resend exactly the same body when they retry, and send no key of their own; they say
    /// which attempt a request is (<see cref="RetryCountHeader"/>), so only a retry (<paramref name="isRetry"/>)
    /// is answered with the turn it repeats. A person sending the same words twice gets two turns.
    /// </summary>
    public static IdempotencyKey Retry(string route, ReadOnlySpan<byte> body, bool isRetry) =>
        new(RetryName, Fingerprint(route, body), Implicit: true, IsRetry: isRetry);

    /// <summary>The official SDKs' count of a request's attempts: 0 on the first, 1 on the first retry, and so on.</summary>
    public const string RetryCountHeader = "x-stainless-retry-count";

    /// <summary>True when <paramref name="retryCount"/> (the <see cref="RetryCountHeader"/>) names a retry, not a first attempt.</summary>
    public static bool SaysRetry(string? retryCount) =>
        int.TryParse(retryCount, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0;

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

        return new IdempotencyKey(header, Fingerprint(route, body));
    }

    private static string Fingerprint(string route, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(route));
        hash.AppendData([0]);
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
