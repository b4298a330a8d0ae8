using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Conversations.Abstractions.Upstream;
using Conversations.ApiHost.ChatCompletions;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Wire;

namespace Conversations.Bench.Micro;

/// <summary>
/// The stateless stream relay, end to end in memory: an upstream response of 50 content chunks (plus
/// role, finish and usage chunks and [DONE]) read, parsed for usage, and written out as SSE; and the
/// conversation stream's per-chunk work, writing one content chunk. Divide the relay by 53 for a chunk.
/// </summary>
public class SseRelay
{
    private const int Chunks = 50;
    private static readonly ChatCompletionsCall Call = new("gpt-4o-mini", true, true);
    private static readonly byte[] RequestBody = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8.ToArray();
    private byte[] _upstreamStream = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        const string head = "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_f9f4fb6dbf\",\"choices\":[";
        text.Append("data: ").Append(head).Append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (var i = 0; i < Chunks; i++)
        {
            text.Append("data: ").Append(head).Append("{\"index\":0,\"delta\":{\"content\":\" word").Append(i).Append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        text.Append("data: ").Append(head).Append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        text.Append("data: ").Append(head).Append("],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":50,\"total_tokens\":69}}\n\n");
        text.Append("data: [DONE]\n\n");
        _upstreamStream = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark]
    public async Task StatelessStreamOf50Chunks()
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(_upstreamStream, writable: false)) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
        var meter = new UsageMeter(RequestBody, new CharacterCount(), new NoUserGrain());
        var events = StreamRelay.Events(response, Call, meter, TimeSpan.FromMinutes(1), CancellationToken.None, CancellationToken.None);
        await SseFormatter.WriteAsync(events, Stream.Null, static (item, writer) => writer.Write(item.Data));
    }

    [Benchmark]
    public int ConversationStreamChunk() =>
        JsonSerializer.SerializeToUtf8Bytes(WireObjects.ContentChunk("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", 1741570283, "gpt-4o-mini", " word"), WireJson.Api.ChunkObject).Length;

    private sealed class CharacterCount : ITokenCounter
    {
        public long Count(string text) => text.Length / 4;
    }
}
