using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Exports;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Tests.Exports;

public class ConversationExportTests
{
    private static readonly DateTimeOffset At = new(2025, 7, 4, 12, 33, 20, TimeSpan.Zero);

    private static Conversation Titled(string? title) => new(
        "conv_1",
        "user_1",
        At,
        title is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary<string, string>.Empty.Add("title", title),
        ConversationSettings.ForModel("gpt-4o-mini"),
        ConversationUsage.None);

    private static MessageItem Message(MessageRole role, ItemStatus status, params ContentPart[] content) =>
        new($"msg_{role}", 1, status, At, null, role, [.. content]);

    private static MessageItem Said(MessageRole role, string text) =>
        Message(role, ItemStatus.Completed, role == MessageRole.Assistant ? ContentPart.OutputText.Of(text) : new ContentPart.InputText(text));

    [Fact]
    public void The_title_heads_the_transcript_and_each_message_is_its_role_and_its_text_in_order()
    {
        var markdown = ConversationExport.Markdown(
            Titled("Trip to Paris"),
            [Said(MessageRole.User, "Where should I eat?"), Said(MessageRole.Assistant, "Try a bistro.")]);

        Assert.StartsWith("# Trip to Paris\n", markdown);
        Assert.Contains("- Conversation: `conv_1`\n- Created: 2025-07-04 12:33 UTC\n- Model: gpt-4o-mini\n", markdown);
        Assert.Contains("## User\n\nWhere should I eat?\n\n## Assistant\n\nTry a bistro.\n", markdown);
    }

    [Fact]
    public void A_compaction_is_shown_with_its_summary_after_the_items_it_stands_for()
    {
        var markdown = ConversationExport.Markdown(
            Titled("Long"),
            [Said(MessageRole.User, "My name is Ada."), new CompactionItem("cmp_1", 2, ItemStatus.Completed, At, null, "The user is Ada."), Said(MessageRole.User, "Hi")]);

        Assert.Contains("## User\n\nMy name is Ada.\n\n## Compaction\n\n", markdown);
        Assert.Contains("The user is Ada.", markdown);
        Assert.True(markdown.IndexOf("The user is Ada.", StringComparison.Ordinal) < markdown.IndexOf("## User\n\nHi", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_title_the_conversation_id_heads_it_and_an_empty_one_says_so()
    {
        var markdown = ConversationExport.Markdown(Titled(null), []);

        Assert.StartsWith("# Conversation conv_1\n", markdown);
        Assert.Contains("*No messages yet.*", markdown);
    }

    [Fact]
    public void A_title_over_several_lines_stays_one_heading()
    {
        Assert.StartsWith("# Two lines\n\n", ConversationExport.Markdown(Titled("Two\n  lines"), []));
    }

    [Fact]
    public void Function_calls_and_their_outputs_are_fenced_blocks_under_their_own_headings()
    {
        var markdown = ConversationExport.Markdown(
            Titled(null),
            [
                new FunctionCallItem("fc_1", 2, ItemStatus.Completed, At, null, "call_9", "get_weather", """{"city":"Paris"}"""),
                new FunctionCallOutputItem("fco_1", 3, ItemStatus.Completed, At, null, "call_9", """{"temp":21}"""),
            ]);

        Assert.Contains("## Function call: get_weather\n\nCall id: `call_9`\n\n```json\n{\"city\":\"Paris\"}\n```\n", markdown);
        Assert.Contains("## Function output\n\nCall id: `call_9`\n\n```\n{\"temp\":21}\n```\n", markdown);
    }

    [Fact]
    public void Backticks_in_a_fenced_block_cannot_close_it()
    {
        var markdown = ConversationExport.Markdown(
            Titled(null),
            [new FunctionCallOutputItem("fco_1", 1, ItemStatus.Completed, At, null, "call_9", "a ```` fence\n")]);

        Assert.Contains("`````\na ```` fence\n`````\n", markdown);
    }

    [Fact]
    public void An_image_is_a_note_with_its_address_and_a_data_url_is_cut_short_with_its_length()
    {
        var data = "data:image/png;base64," + new string('A', 5000);
        var markdown = ConversationExport.Markdown(
            Titled(null),
            [Message(MessageRole.User, ItemStatus.Completed,
                new ContentPart.InputText("Look:"),
                new ContentPart.InputImage("https://example.com/cat.png", "auto"),
                new ContentPart.InputImage(data, "low"))]);

        Assert.Contains("Look:\n\n*Image:* <https://example.com/cat.png>\n\n*Image:* <data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAA… (5,022 characters)>\n", markdown);
        Assert.DoesNotContain(new string('A', 100), markdown);
    }

    [Fact]
    public void Files_and_refusals_are_named_not_dropped()
    {
        var markdown = ConversationExport.Markdown(
            Titled(null),
            [
                Message(MessageRole.User, ItemStatus.Completed, new ContentPart.InputFile("data:application/pdf;base64,AAAA", "report.pdf")),
                Message(MessageRole.Assistant, ItemStatus.Completed, new ContentPart.Refusal("I can't help with that.")),
            ]);

        Assert.Contains("*File:* report.pdf\n", markdown);
        Assert.Contains("*Refused:* I can't help with that.\n", markdown);
    }

    [Fact]
    public void A_reply_cut_short_says_it_is_incomplete()
    {
        var markdown = ConversationExport.Markdown(
            Titled(null),
            [Message(MessageRole.Assistant, ItemStatus.Incomplete, ContentPart.OutputText.Of("Once upon"))]);

        Assert.Contains("## Assistant\n\nOnce upon\n\n*Incomplete: this was cut short.*\n", markdown);
    }

    [Theory]
    [InlineData("Trip to Paris!", ExportFormat.Markdown, "trip-to-paris-conv_1.md")]
    [InlineData("Été / ../..\\secret", ExportFormat.Json, "t-secret-conv_1.json")]
    [InlineData("日本語", ExportFormat.Markdown, "conv_1.md")]
    [InlineData(null, ExportFormat.Json, "conv_1.json")]
    public void The_file_is_named_after_the_title_made_safe_and_the_conversation_id(string? title, ExportFormat format, string expected)
    {
        Assert.Equal(expected, ConversationExport.FileName(Titled(title), format));
    }

    [Fact]
    public void A_long_title_makes_a_short_file_name()
    {
        var name = ConversationExport.FileName(Titled(string.Join(' ', Enumerable.Repeat("word", 50))), ExportFormat.Markdown);

        Assert.True(name.Length <= 40 + "-conv_1.md".Length, name);
        Assert.EndsWith("-conv_1.md", name);
    }
}
