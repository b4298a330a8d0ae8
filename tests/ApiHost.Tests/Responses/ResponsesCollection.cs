using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// The SDK-driven Responses tests that talk to a fake upstream share one host; the fake's script is a
/// queue and the tests read the requests it received, so they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ResponsesCollection : ICollectionFixture<UpstreamHostFixture>
{
    public const string Name = "Responses API through the official SDKs";
}
