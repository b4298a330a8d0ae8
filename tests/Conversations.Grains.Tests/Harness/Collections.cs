namespace Conversations.Grains.Tests.Harness;

/// <summary>Conversation tests share one cluster and one fake upstream, whose script is a queue: they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConversationCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "conversation grains";
}

/// <summary>User, key and admin tests share one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class UserCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "user and access grains";
}
