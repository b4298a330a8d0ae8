namespace Conversations.Grains.Access;

/// <summary>Names of the service-wide values kept in the user store.</summary>
public static class ServiceValues
{
    public const string HashSecret = "key_hash_secret";
    public const string AdminKeyHash = "admin_key_hash";
}
