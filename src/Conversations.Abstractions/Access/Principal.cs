namespace Conversations.Abstractions.Access;

/// <summary>Who a valid key belongs to. The admin key has no user and may only use the admin routes.</summary>
[GenerateSerializer, Immutable]
public sealed record Principal(
    [property: Id(0)] string UserId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] bool IsAdmin)
{
    public const string AdminUserId = "admin";

    public static Principal Admin { get; } = new(AdminUserId, "key_admin", true);
}
