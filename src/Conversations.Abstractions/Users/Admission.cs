namespace Conversations.Abstractions.Users;

/// <summary>
/// The answer to "may this user send one more request upstream now?", with what OpenAI-style
/// <c>x-ratelimit-*</c> headers report either way.
/// </summary>
/// <param name="Reason">Why a request was refused (<c>requests</c>, <c>tokens</c> or <c>streams</c>); empty when admitted.</param>
/// <param name="RetryAfter">How long to wait before trying again; zero when admitted.</param>
[GenerateSerializer, Immutable]
public sealed record Admission(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] string Reason,
    [property: Id(2)] TimeSpan RetryAfter,
    [property: Id(3)] RateWindow Requests,
    [property: Id(4)] RateWindow Tokens);
