namespace Conversations.Abstractions.Access;

/// <summary>
/// The cluster's single keeper of access set-up (keyed <see cref="Key"/>): the secret keys are hashed
/// with, and first-start bootstrap of the admin key and the default user.
/// </summary>
public interface IAccessGrain : IGrainWithStringKey
{
    public const string Key = "access";

    /// <summary>The HMAC secret for key hashes, created on first use and the same for every host.</summary>
    Task<byte[]> GetHashSecret();

    Task<BootstrapResult> Bootstrap(BootstrapRequest request);
}
