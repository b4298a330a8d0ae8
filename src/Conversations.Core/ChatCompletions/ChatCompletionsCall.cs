namespace Conversations.Core.ChatCompletions;

/// <summary>
/// What the service needs to know about a stateless <c>POST /v1/chat/completions</c> body; the rest
/// of the body is forwarded untouched. <see cref="ClientWantsUsage"/> is whether the client itself
/// asked for the usage chunk (<c>stream_options.include_usage</c>).
/// </summary>
public sealed record ChatCompletionsCall(string Model, bool Stream, bool ClientWantsUsage);
