using System.Collections.Immutable;
using Conversations.Core.Responses;

namespace Conversations.Core.Upstream;

/// <summary>
/// A Chat Completions request as the service sends it upstream. Absent sampling settings are left out
/// of the JSON so the upstream's defaults apply. A streamed request always asks for usage.
/// <para>
/// The members beyond the sampling settings carry what a Responses request asks for and Chat Completions
/// has a field for; each is left out of the JSON when unset, so a request that sets none of them is
/// written exactly as a plain chat turn is.
/// </para>
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UpstreamChatRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] ImmutableArray<UpstreamMessage> Messages,
    [property: Id(2)] double? Temperature,
    [property: Id(3)] double? TopP,
    [property: Id(4)] int? MaxTokens,
    [property: Id(5)] bool Stream)
{
    /// <summary>
    /// <see cref="Messages"/> already written as JSON, when the caller keeps them so (a conversation's
    /// history); null to have them written from <see cref="Messages"/>. Not carried across grain calls.
    /// </summary>
    [field: NonSerialized]
    public PreparedMessages? MessagesJson { get; init; }

    /// <summary>The functions the model may call, sent as <c>tools</c>; empty for none.</summary>
    [Id(6)]
    public ImmutableArray<FunctionTool> Tools { get; init; } = [];

    /// <summary><c>tool_choice</c>; sent only with <see cref="Tools"/> (OpenAI refuses it without them).</summary>
    [Id(7)]
    public ToolChoice? ToolChoice { get; init; }

    /// <summary><c>parallel_tool_calls</c>; sent only with <see cref="Tools"/>.</summary>
    [Id(8)]
    public bool? ParallelToolCalls { get; init; }

    /// <summary>
    /// <c>response_format</c>: <see cref="TextFormat.JsonObject"/> or <see cref="TextFormat.JsonSchema"/>;
    /// plain text, the upstream's default, is left out like null.
    /// </summary>
    [Id(9)]
    public TextFormat? ResponseFormat { get; init; }

    /// <summary><c>reasoning_effort</c> (<c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, …), passed on as given.</summary>
    [Id(10)]
    public string? ReasoningEffort { get; init; }

    [Id(11)]
    public string? User { get; init; }

    [Id(12)]
    public string? SafetyIdentifier { get; init; }

    [Id(13)]
    public string? PromptCacheKey { get; init; }
}
