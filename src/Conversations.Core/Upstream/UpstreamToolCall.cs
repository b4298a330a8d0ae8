namespace Conversations.Core.Upstream;

/// <summary>
/// One entry of an assistant message's <c>tool_calls</c>:
/// <c>{"id":…,"type":"function","function":{"name":…,"arguments":…}}</c>. Read from a completion, and sent
/// back in the history so the model sees what it asked for.
/// </summary>
/// <param name="Id">The call's id (<c>call_…</c>); the <c>tool</c> message answering it names it.</param>
/// <param name="Arguments">The arguments as the model wrote them: JSON text, not necessarily valid.</param>
[GenerateSerializer, Immutable]
public sealed record UpstreamToolCall(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Arguments);
