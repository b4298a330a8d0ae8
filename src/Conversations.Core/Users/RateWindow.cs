namespace Conversations.Core.Users;

/// <summary>One limit's state: its size, what is left, and when it is whole again. A null limit is unlimited.</summary>
[GenerateSerializer, Immutable]
public sealed record RateWindow(
    [property: Id(0)] long? Limit,
    [property: Id(1)] long Remaining,
    [property: Id(2)] TimeSpan ResetsIn)
{
    public static RateWindow Unlimited { get; } = new(null, long.MaxValue, TimeSpan.Zero);
}
