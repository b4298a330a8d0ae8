using Conversations.Core.Messages;

namespace Conversations.Core.Items;

/// <summary>
/// What the upstream reported for the turn that produced an item: its usage, the model that answered,
/// why it stopped (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, …; empty if it was cut short before
/// saying), and the <c>chatcmpl-…</c> id of the completion.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReplyInfo(
    [property: Id(0)] TokenUsage Usage,
    [property: Id(1)] string Model,
    [property: Id(2)] string FinishReason,
    [property: Id(3)] string CompletionId);
