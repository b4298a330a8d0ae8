namespace Conversations.Abstractions.Users;

[GenerateSerializer, Immutable]
public abstract record AdminError
{
    [GenerateSerializer, Immutable]
    public sealed record UserNotFound([property: Id(0)] string UserId) : AdminError;

    [GenerateSerializer, Immutable]
    public sealed record KeyNotFound([property: Id(0)] string KeyId) : AdminError;
}
