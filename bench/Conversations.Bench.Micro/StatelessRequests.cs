using System.Text;
using BenchmarkDotNet.Attributes;
using Conversations.Core.ChatCompletions;

namespace Conversations.Bench.Micro;

/// <summary>The stateless route's look at a client's body: inspecting it, and forwarding it unchanged or rewritten.</summary>
public class StatelessRequests
{
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say this is a test!"}],"temperature":0.7}""");

    private static readonly byte[] Streamed = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say this is a test!"}],"temperature":0.7}""");

    private static readonly ChatCompletionsCall PlainCall = new("gpt-4o-mini", false, false);
    private static readonly ChatCompletionsCall StreamCall = new("gpt-4o-mini", true, false);

    [Benchmark]
    public object Inspect() => ChatCompletionsRequests.Inspect(Plain);

    [Benchmark]
    public ReadOnlyMemory<byte> ForwardUnchanged() => ChatCompletionsRequests.ForUpstream(Plain, PlainCall, "gpt-4o-mini");

    [Benchmark]
    public ReadOnlyMemory<byte> ForwardStreamAskingForUsage() => ChatCompletionsRequests.ForUpstream(Streamed, StreamCall, "gpt-4o-mini");

    [Benchmark]
    public ReadOnlyMemory<byte> ForwardWithModelAlias() => ChatCompletionsRequests.ForUpstream(Plain, PlainCall, "gpt-4o-mini-2024-07-18");
}
