using Conversations.Core.Messages;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class StreamFoldTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Counting words is enough to tell an estimate from the upstream's own count.
    private static long Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static ChatCompletionChunk Chunk(string delta, string finishReason = "", TokenUsage? usage = null) =>
        new("chatcmpl-real", 1751630000, "gpt-4o-mini-2024-07-18", delta, finishReason, usage);

    private static TurnDraft Fold(params ChatCompletionChunk[] chunks) =>
        chunks.Aggregate(StreamFold.Start("chatcmpl-placeholder", 1000, "gpt-4o-mini"), StreamFold.Step);

    [Fact]
    public void A_whole_stream_becomes_a_completed_reply_with_the_upstreams_ids_and_usage()
    {
        var draft = Fold(Chunk(""), Chunk("This"), Chunk(" is"), Chunk(" a test!"), Chunk("", "stop"), Chunk("", usage: new TokenUsage(13, 6)) with { Model = "" });

        var message = StreamFold.ToMessage(draft, "msg_9", 9, At, Words, promptTokensEstimate: 99);

        Assert.Equal(
            new Message("msg_9", 9, MessageRole.Assistant, "This is a test!", MessageStatus.Completed, At, new TokenUsage(13, 6), "gpt-4o-mini-2024-07-18", "stop", "chatcmpl-real"),
            message);
    }

    [Fact]
    public void Placeholders_stay_until_the_upstream_sends_its_own()
    {
        var draft = StreamFold.Start("chatcmpl-placeholder", 1000, "gpt-4o-mini");
        var afterEmpty = StreamFold.Step(draft, new ChatCompletionChunk("", 0, "", "Hi", "", null));
        var afterReal = StreamFold.Step(afterEmpty, Chunk("!"));

        Assert.Equal(("chatcmpl-placeholder", 1000L, "gpt-4o-mini"), (afterEmpty.CompletionId, afterEmpty.Created, afterEmpty.Model));
        Assert.Equal(("chatcmpl-real", 1751630000L, "gpt-4o-mini-2024-07-18"), (afterReal.CompletionId, afterReal.Created, afterReal.Model));
        Assert.Equal("Hi!", StreamFold.Content(afterReal));
    }

    [Fact]
    public void A_stream_cut_short_is_incomplete_and_billed_by_estimate()
    {
        var draft = Fold(Chunk("Once"), Chunk(" upon"), Chunk(" a"));

        var message = StreamFold.ToMessage(draft, "msg_4", 4, At, Words, promptTokensEstimate: 42);

        Assert.Equal(MessageStatus.Incomplete, message.Status);
        Assert.Equal("Once upon a", message.Content);
        Assert.Equal("", message.FinishReason);
        Assert.Equal(new TokenUsage(42, 3), message.Usage);
    }

    [Fact]
    public void A_finished_stream_without_a_usage_chunk_is_completed_and_estimated()
    {
        var message = StreamFold.ToMessage(Fold(Chunk("two words"), Chunk("", "length")), "m", 2, At, Words, 10);

        Assert.Equal((MessageStatus.Completed, "length", new TokenUsage(10, 2)), (message.Status, message.FinishReason, message.Usage));
    }

    [Fact]
    public void A_stream_cut_before_any_text_is_an_empty_incomplete_reply_that_still_bills_the_prompt()
    {
        var message = StreamFold.ToMessage(StreamFold.Start("chatcmpl-p", 1, "m"), "m1", 1, At, Words, 17);

        Assert.Equal(("", MessageStatus.Incomplete, new TokenUsage(17, 0), "chatcmpl-p"), (message.Content, message.Status, message.Usage, message.CompletionId));
    }

    [Fact]
    public void Content_length_counts_every_delta()
    {
        var draft = Fold(Chunk("héllo"), Chunk(""), Chunk(" 😀"));

        Assert.Equal(StreamFold.Content(draft).Length, draft.ContentLength);
        Assert.Equal(2, draft.Parts.Count);
    }

    [Fact]
    public void A_long_stream_is_joined_in_order()
    {
        var pieces = Enumerable.Range(0, 5000).Select(i => $"{i} ").ToArray();

        var draft = pieces.Aggregate(StreamFold.Start("c", 1, "m"), (d, p) => StreamFold.Step(d, Chunk(p)));

        Assert.Equal(string.Concat(pieces), StreamFold.Content(draft));
    }

    [Fact]
    public void A_single_shot_completion_is_stored_like_a_finished_stream()
    {
        var completion = new ChatCompletion("chatcmpl-1", 5, "gpt-4o", "Done.", "stop", new TokenUsage(8, 2));

        var message = StreamFold.ToMessage(StreamFold.FromCompletion(completion), "msg_2", 2, At, Words, 0);

        Assert.Equal(new Message("msg_2", 2, MessageRole.Assistant, "Done.", MessageStatus.Completed, At, new TokenUsage(8, 2), "gpt-4o", "stop", "chatcmpl-1"), message);
    }
}
