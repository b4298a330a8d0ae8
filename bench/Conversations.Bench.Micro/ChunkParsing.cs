using System.Text;
using BenchmarkDotNet.Attributes;
using Conversations.Core.Upstream;

namespace Conversations.Bench.Micro;

/// <summary>Reading what the upstream sends: one stream chunk, one whole completion.</summary>
public class ChunkParsing
{
    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{"content":" quick"},"logprobs":null,"finish_reason":null}],"usage":null}""");

    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog, as the saying goes.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":14,"total_tokens":33},"system_fingerprint":"fp_f9f4fb6dbf"}""");

    [Benchmark]
    public object ParseChunk() => ChatCompletionParser.ParseChunk(Chunk);

    [Benchmark]
    public object ParseCompletion() => ChatCompletionParser.ParseCompletion(Completion);
}
