namespace Conversations.Core.Users;

/// <summary>A place among a user's concurrent streams, or the refusal. Return a granted one with <c>IUserGrain.ReleaseStream</c>.</summary>
[GenerateSerializer, Immutable]
public abstract record StreamLease
{
    /// <param name="Limit">The user's concurrent streams; null when they have no limit (then nothing is counted and releasing is a no-op).</param>
    [GenerateSerializer, Immutable]
    public sealed record Granted(
        [property: Id(0)] string LeaseId,
        [property: Id(1)] int? Limit) : StreamLease;

    /// <summary>All <paramref name="Limit"/> places are taken.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Refused([property: Id(0)] int Limit) : StreamLease;

    /// <summary>All <paramref name="Limit"/> of the user's places for responses running in the background are taken.</summary>
    [GenerateSerializer, Immutable]
    public sealed record BackgroundRefused([property: Id(0)] int Limit) : StreamLease;
}
