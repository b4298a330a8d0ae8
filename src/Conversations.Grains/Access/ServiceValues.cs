namespace Conversations.Grains.Access;

/// <summary>Names of the service-wide values kept in the user store.</summary>
public static class ServiceValues
{
    public const string HashSecret = "key_hash_secret";
    public const string AdminKeyHash = "admin_key_hash";

    /// <summary>The hash of the last configured <c>CONVERSATIONS_API_KEY</c>, so a changed one revokes it.</summary>
    public const string DefaultUserKeyHash = "default_user_key_hash";
}
