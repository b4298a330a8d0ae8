using System.Buffers;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Bench.Micro;

/// <summary>
/// A turn's upstream request: built from the stored messages and written whole (what every turn did
/// before), and built from the history a conversation keeps in upstream form (what a turn does now:
/// only the head, the new message and the tail are written; the kept JSON is sent as it is).
/// </summary>
public class UpstreamRequestBuilding
{
    private ConversationSettings _settings = null!;
    private ImmutableArray<Message> _history;
    private UpstreamHistory _prepared = null!;

    [Params(10, 1000, 10000)]
    public int StoredMessages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var at = DateTimeOffset.UnixEpoch;
        _settings = ConversationSettings.ForModel("gpt-4o-mini") with { Instructions = "You are a helpful assistant." };
        _history = [.. Enumerable.Range(1, StoredMessages).Select(i => i % 2 == 1
            ? Message.Input($"msg_{i}", i, MessageRole.User, $"History message {i}: the quick brown fox jumps over the lazy dog.", at)
            : new Message($"msg_{i}", i, MessageRole.Assistant, $"History message {i}: the quick brown fox jumps over the lazy dog.", MessageStatus.Completed, at, new TokenUsage(12, 6), "gpt-4o-mini", "stop", "chatcmpl-1"))];
        var sent = _history.Select(ChatRequestBuilder.ForUpstream).ToImmutableArray();
        var json = sent.Select((m, i) => ChatRequestBuilder.Json(m, leadingComma: i > 0)).SelectMany(b => b).ToArray();
        _prepared = new UpstreamHistory(sent, [json]);
    }

    [Benchmark(Baseline = true)]
    public int FromStoredMessages()
    {
        var request = ChatRequestBuilder.Build(_settings, _history, "Say this is a test!", TurnOverrides.None, stream: false);
        var body = new ArrayBufferWriter<byte>(256);
        request = request with { MessagesJson = null };
        UpstreamRequestJson.Write(body, request);
        return body.WrittenCount;
    }

    [Benchmark]
    public int FromKeptHistory()
    {
        var request = ChatRequestBuilder.Build(_settings, _prepared, "Say this is a test!", TurnOverrides.None, stream: false);
        return UpstreamRequestJson.Head(request).Length + UpstreamRequestJson.Tail(request).Length + request.MessagesJson!.Segments.Length;
    }
}
