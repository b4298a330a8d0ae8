using System.Buffers;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Bench.Micro;

/// <summary>
/// A turn's upstream request: built from the stored items and written whole (what every turn did
/// before), and built from the history a conversation keeps in upstream form (what a turn does now:
/// only the head, the new message and the tail are written; the kept JSON is sent as it is).
/// </summary>
public class UpstreamRequestBuilding
{
    private static readonly ReplyInfo EndOfTurn = new(new TokenUsage(12, 6), "gpt-4o-mini", "stop", "chatcmpl-1");

    private ResponseSettings _settings = null!;
    private ImmutableArray<Item> _history;
    private ImmutableArray<Item> _input;
    private UpstreamHistory _prepared = null!;
    private ImmutableArray<Item> _unprepared;

    [Params(10, 1000, 10000)]
    public int StoredMessages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var at = DateTimeOffset.UnixEpoch;
        _settings = ResponseSettings.Default with { Instructions = "You are a helpful assistant." };
        _history = [.. Enumerable.Range(1, StoredMessages).Select(i => Message(
            i, i % 2 == 1 ? MessageRole.User : MessageRole.Assistant, $"History message {i}: the quick brown fox jumps over the lazy dog.", at))];
        _input = [Message(StoredMessages + 1, MessageRole.User, "Say this is a test!", at)];

        // Kept as a conversation keeps it: the settled messages, their JSON in one piece.
        var run = ChatRequestBuilder.ForUpstream(_history.AsSpan(), leadingComma: false);
        var json = run.Json[..run.SettledMessages].SelectMany(segment => segment.ToArray()).ToArray();
        _prepared = new UpstreamHistory(run.Messages[..run.SettledMessages], [json]);
        _unprepared = _history[run.SettledItems..];
    }

    [Benchmark(Baseline = true)]
    public int FromStoredMessages()
    {
        var request = ChatRequestBuilder.Build("gpt-4o-mini", _settings, _history.AsSpan(), _input.AsSpan(), stream: false);
        var body = new ArrayBufferWriter<byte>(256);
        request = request with { MessagesJson = null };
        UpstreamRequestJson.Write(body, request);
        return body.WrittenCount;
    }

    [Benchmark]
    public int FromKeptHistory()
    {
        var request = ChatRequestBuilder.Build("gpt-4o-mini", _settings, _prepared, _unprepared.AsSpan(), _input.AsSpan(), stream: false);
        return UpstreamRequestJson.Head(request).Length + UpstreamRequestJson.Tail(request).Length + request.MessagesJson!.Segments.Length;
    }

    /// <summary>A stored message item; an assistant's ended its turn, as a plain chat reply does.</summary>
    private static MessageItem Message(long sequence, MessageRole role, string text, DateTimeOffset at) =>
        role == MessageRole.Assistant
            ? new MessageItem($"msg_{sequence}", sequence, ItemStatus.Completed, at, EndOfTurn, role, [ContentPart.OutputText.Of(text)])
            : new MessageItem($"msg_{sequence}", sequence, ItemStatus.Completed, at, null, role, [new ContentPart.InputText(text)]);
}
