namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// The compatibility test classes share one host and one fake upstream, whose script is a queue: they
/// run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CompatibilityCollection : ICollectionFixture<CompatibilityHost>
{
    public const string Name = "OpenAI compatibility";
}
