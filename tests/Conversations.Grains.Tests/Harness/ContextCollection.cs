namespace Conversations.Grains.Tests.Harness;

/// <summary>Context window tests share one cluster with small windows and one fake upstream, whose window they set: they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ContextCollection : ICollectionFixture<ContextCluster>
{
    public const string Name = "context windows";
}
