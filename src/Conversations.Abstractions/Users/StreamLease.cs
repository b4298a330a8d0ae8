namespace Conversations.Abstractions.Users;

/// <summary>A place among a user's concurrent streams, or the refusal. Return it with <see cref="IUserGrain.ReleaseStream"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record StreamLease(
    [property: Id(0)] bool Granted,
    [property: Id(1)] string LeaseId,
    [property: Id(2)] int Limit);
