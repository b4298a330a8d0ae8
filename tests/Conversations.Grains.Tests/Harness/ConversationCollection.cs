namespace Conversations.Grains.Tests.Harness;

/// <summary>Conversation tests share one cluster and one fake upstream, whose script is a queue: they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConversationCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "conversation grains";
}
