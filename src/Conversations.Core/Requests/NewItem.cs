using Conversations.Core.Messages;

namespace Conversations.Core.Requests;

/// <summary>A message a client seeds a new conversation with (OpenAI's <c>items</c> on create).</summary>
[GenerateSerializer, Immutable]
public sealed record NewItem(
    [property: Id(0)] MessageRole Role,
    [property: Id(1)] string Content);
