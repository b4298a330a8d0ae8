namespace Conversations.Core.Users;

/// <summary>
/// The answer to "may this user send one more request upstream now?", with what OpenAI-style
/// <c>x-ratelimit-*</c> headers report either way.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record Admission
{
    public abstract RateWindow Requests { get; init; }

    public abstract RateWindow Tokens { get; init; }

    /// <summary>The request is counted; send it.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Admitted(
        [property: Id(0)] RateWindow Requests,
        [property: Id(1)] RateWindow Tokens) : Admission;

    /// <param name="Reason">The limit that was hit: <c>requests</c> (per minute) or <c>tokens</c> (per day).</param>
    /// <param name="RetryAfter">How long until that limit lets a request through again.</param>
    [GenerateSerializer, Immutable]
    public sealed record Refused(
        [property: Id(0)] string Reason,
        [property: Id(1)] TimeSpan RetryAfter,
        [property: Id(2)] RateWindow Requests,
        [property: Id(3)] RateWindow Tokens) : Admission;
}
