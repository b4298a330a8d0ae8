using System.Collections.Immutable;

namespace Conversations.Core.Wire.Responses;

/// <summary>The events to send for one step of a streamed response, and the state after them.</summary>
public sealed record ResponseStreamStep(ResponseStreamState State, ImmutableArray<ResponseStreamEvent> Events);
