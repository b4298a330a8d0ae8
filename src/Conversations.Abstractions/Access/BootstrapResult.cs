namespace Conversations.Abstractions.Access;

/// <summary>
/// Keys generated because none existed yet: on the very first start only. The host prints them once
/// and they are never shown again (only their hashes are kept).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BootstrapResult(
    [property: Id(0)] string? GeneratedAdminKey,
    [property: Id(1)] string? GeneratedDefaultUserKey)
{
    /// <summary>Keeps the keys out of <see cref="object.ToString"/> (Orleans logs message bodies at Trace).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("GeneratedAdminKey = ").Append(GeneratedAdminKey is null ? "none" : "(hidden)")
            .Append(", GeneratedDefaultUserKey = ").Append(GeneratedDefaultUserKey is null ? "none" : "(hidden)");
        return true;
    }
}
