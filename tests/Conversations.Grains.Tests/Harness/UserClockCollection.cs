namespace Conversations.Grains.Tests.Harness;

/// <summary>Tests that move the user grains' clock share one cluster of their own, so no other test sees the clock move.</summary>
[CollectionDefinition(Name)]
public sealed class UserClockCollection : ICollectionFixture<UserClockCluster>
{
    public const string Name = "user grains on a moved clock";
}
