using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Offline;

/// <summary>
/// The offline model's reply to one request: its text, the same text in the pieces a stream sends, why it
/// stopped (<c>stop</c>, or <c>length</c> when <c>max_tokens</c> cut it) and the tokens it counts as used.
/// </summary>
public sealed record OfflineReply(string Content, ImmutableArray<string> Chunks, string FinishReason, TokenUsage Usage);
