namespace Conversations.Grains.Tests.Harness;

/// <summary>User, key and admin tests share one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class UserCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "user and access grains";
}
