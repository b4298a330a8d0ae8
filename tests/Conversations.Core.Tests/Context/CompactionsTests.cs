using System.Collections.Immutable;
using Conversations.Core.Context;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Offline;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Context;

/// <summary>
/// Compaction as pure steps: what the summary request holds, what a compaction stands for upstream, when a
/// threshold asks for one, and how requests for one are read.
/// </summary>
public sealed class CompactionsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static MessageItem Message(MessageRole role, string text) =>
        new($"msg_{text.Length}", 0, ItemStatus.Completed, At, null, role, [new ContentPart.InputText(text)]);

    private static CompactionItem Compaction(string summary) => new("cmp_1", 0, ItemStatus.Completed, At, null, summary);

    private static List<(string Role, string Content)> Sent(params Item[] items) =>
        [.. ChatRequestBuilder.Build("gpt-4o", ResponseSettings.Default, items, [], stream: true).Messages.Select(m => (m.Role, m.Content))];

    [Fact]
    public void A_compaction_stands_upstream_for_everything_before_it_as_a_system_message_with_its_summary()
    {
        var sent = Sent(
            Message(MessageRole.User, "My name is Ada."), Message(MessageRole.Assistant, "Hello, Ada!"),
            Compaction("The user is Ada."),
            Message(MessageRole.User, "What is my name?"));

        Assert.Equal([("system", $"{Compactions.ContextLead}\n\nThe user is Ada."), ("user", "What is my name?")], sent);
    }

    [Fact]
    public void Only_the_last_compaction_counts_since_it_summarises_the_ones_before()
    {
        var sent = Sent(Compaction("First."), Message(MessageRole.User, "Between"), Compaction("Second."), Message(MessageRole.User, "After"));

        Assert.Equal([("system", $"{Compactions.ContextLead}\n\nSecond."), ("user", "After")], sent);
    }

    [Fact]
    public void The_summary_request_is_the_context_then_the_instruction_under_the_compaction_prompt_single_shot()
    {
        var request = Compactions.Request("gpt-4o", [Message(MessageRole.User, "My name is Ada."), Message(MessageRole.Assistant, "Hello, Ada!")]);

        Assert.False(request.Stream);
        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal(
            [("system", Compactions.SystemPrompt), ("user", "My name is Ada."), ("assistant", "Hello, Ada!"), ("user", Compactions.Instruction)],
            request.Messages.Select(m => (m.Role, m.Content)));
    }

    [Theory]
    [InlineData(null, 5_000, null, false)]
    [InlineData(1_000L, 999, null, false)]
    [InlineData(1_000L, 1_000, null, true)]
    [InlineData(Compactions.NearTheWindow, 1_000_000, null, false)]
    [InlineData(Compactions.NearTheWindow, 7_999, 10_000L, false)]
    [InlineData(Compactions.NearTheWindow, 8_000, 10_000L, true)]
    public void A_threshold_asks_for_a_compaction_once_the_context_reaches_it(long? threshold, long tokens, long? budget, bool due)
    {
        Assert.Equal(due, Compactions.IsDue(threshold, tokens, budget));
    }

    [Fact]
    public void There_is_something_to_compact_unless_the_newest_item_is_a_compaction()
    {
        Assert.False(Compactions.HasNewItems([]));
        Assert.False(Compactions.HasNewItems([Message(MessageRole.User, "a"), Compaction("s")]));
        Assert.True(Compactions.HasNewItems([Compaction("s"), Message(MessageRole.User, "a")]));
    }

    [Fact]
    public void The_answer_becomes_a_compaction_with_its_usage_and_an_empty_answer_none()
    {
        var answer = new ChatCompletion("chatcmpl-1", 1, "gpt-4o-2024-08-06", "  The user is Ada.\n", "stop", new TokenUsage(120, 9));

        var item = Compactions.Of(answer, "cmp_7", At)!;

        Assert.Equal(("cmp_7", "The user is Ada.", At), (item.Id, item.Summary, item.CreatedAt));
        Assert.Equal(new TokenUsage(120, 9), item.Reply!.Usage);
        Assert.Null(Compactions.Of(answer with { Content = " " }, "cmp_8", At));
    }

    [Fact]
    public void The_offline_model_summarises_deterministically_and_briefly_however_long_the_conversation()
    {
        var items = Enumerable.Range(1, 2_000).Select(i => (Item)Message(MessageRole.User, $"Message number {i}")).ToImmutableArray();
        var request = Compactions.Request(OfflineModel.ModelId, items.AsSpan());

        var summary = OfflineModel.Reply(request.Messages);

        Assert.Equal(summary, OfflineModel.Reply(Compactions.Request(OfflineModel.ModelId, items.AsSpan()).Messages));
        Assert.Equal(
            "[offline model] 2000 user messages: \"Message number 1\"; \"Message number 2\"; \"Message number 3\"; …; \"Message number 1998\"; \"Message number 1999\"; \"Message number 2000\".",
            summary);
    }

    [Fact]
    public void The_offline_model_says_when_it_builds_on_an_earlier_summary()
    {
        var summary = OfflineModel.Reply(Compactions.Request(OfflineModel.ModelId, [Compaction("Before."), Message(MessageRole.User, "Then this")]).Messages);

        Assert.Equal("[offline model] An earlier summary, then 1 user message: \"Then this\".", summary);
    }

    [Fact]
    public void A_compaction_sent_back_as_input_is_read_with_its_summary()
    {
        var input = Accepted(ItemRequests.ParseInput(Body("""[{"type":"compaction","id":"cmp_x","encrypted_content":"The user is Ada."},{"role":"user","content":"What is my name?"}]"""), "input"));

        Assert.Equal("The user is Ada.", Assert.IsType<CompactionItem>(input[0]).Summary);
        RefusedWith(ItemRequests.ParseInput(Body("""[{"type":"compaction","id":"cmp_x"}]"""), "input"), "input[0].encrypted_content", "missing_required_parameter");
    }

    [Theory]
    [InlineData("""[{"type":"compaction","compact_threshold":1000}]""", 1000L)]
    [InlineData("""[{"type":"compaction","compact_threshold":250000}]""", 250000L)]
    [InlineData("""[{"type":"compaction"}]""", Compactions.NearTheWindow)]
    public void Context_management_asks_for_compaction_from_a_threshold(string value, long threshold)
    {
        var create = Accepted(ResponseRequests.ParseCreate(Body($$"""{"input":"hi","context_management":{{value}}}""")));

        Assert.Equal(threshold, create.CompactThreshold);
        Assert.Null(Accepted(ResponseRequests.ParseCreate(Body("""{"input":"hi"}"""))).CompactThreshold);
    }

    [Theory]
    [InlineData("""[{"type":"compaction","compact_threshold":999}]""", "context_management[0].compact_threshold", "invalid_value")]
    [InlineData("""[{"type":"compaction","compact_threshold":"1000"}]""", "context_management[0].compact_threshold", "invalid_type")]
    [InlineData("""[{"type":"truncation"}]""", "context_management[0].type", "invalid_value")]
    [InlineData("""[{"compact_threshold":1000}]""", "context_management[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":"compaction","every":3}]""", "context_management[0].every", "unknown_parameter")]
    [InlineData("""[]""", "context_management", "invalid_value")]
    [InlineData("""{"type":"compaction"}""", "context_management", "invalid_type")]
    public void Context_management_of_the_wrong_shape_is_refused_naming_the_field(string value, string param, string code)
    {
        RefusedWith(ResponseRequests.ParseCreate(Body($$"""{"input":"hi","context_management":{{value}}}""")), param, code);
    }

    [Fact]
    public void A_compact_request_names_what_it_compacts()
    {
        var onConversation = Accepted(ResponseRequests.ParseCompact(Body("""{"model":"gpt-4o","conversation":"conv_0123456789abcdef0123456789abcdef"}"""), "cmp_1"));
        var onInput = Accepted(ResponseRequests.ParseCompact(Body("""{"model":"gpt-4o","input":"My name is Ada.","instructions":"ignored"}"""), "cmp_2"));

        Assert.Equal(("cmp_1", "gpt-4o", "conv_0123456789abcdef0123456789abcdef"), (onConversation.Id, onConversation.Model, onConversation.ConversationId));
        Assert.Equal("My name is Ada.", Assert.IsType<MessageItem>(Assert.Single(onInput.Input)).Text);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o"}""", "input", "missing_required_parameter")]
    [InlineData("""{"conversation":"conv_0123456789abcdef0123456789abcdef","input":"more"}""", "input", "invalid_value")]
    [InlineData("""{"input":"hi","stream":true}""", "stream", "unknown_parameter")]
    [InlineData("""{"input":"hi","prompt_cache_key":7}""", "prompt_cache_key", "invalid_type")]
    public void A_compact_request_of_the_wrong_shape_is_refused_naming_the_field(string json, string param, string code)
    {
        RefusedWith(ResponseRequests.ParseCompact(Body(json), "cmp_1"), param, code);
    }
}
