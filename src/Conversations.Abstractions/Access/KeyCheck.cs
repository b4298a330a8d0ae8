namespace Conversations.Abstractions.Access;

/// <summary>The answer to "whose key is this?": a principal, or none (unknown or revoked, which read the same).</summary>
[GenerateSerializer, Immutable]
public sealed record KeyCheck([property: Id(0)] Principal? Principal)
{
    public static KeyCheck Unknown { get; } = new((Principal?)null);
}
