using Conversations.Core.Offline;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Offline;

public sealed class OfflineModelTests
{
    private static long Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static UpstreamChatRequest Ask(string userMessage, int? maxTokens = null) =>
        new("offline", [new UpstreamMessage("system", "Be brief."), new UpstreamMessage("user", userMessage)], null, null, maxTokens, false);

    [Fact]
    public void Say_this_is_a_test_is_answered_as_asked()
    {
        var answer = OfflineModel.Answer(Ask("Say this is a test!"), Words);

        Assert.Equal("This is a test!", answer.Content);
        Assert.Equal("stop", answer.FinishReason);
    }

    [Fact]
    public void Other_messages_are_echoed_in_a_reply_that_says_it_is_offline()
    {
        var reply = OfflineModel.Answer(Ask("What is   the capital of France?"), Words).Content;

        Assert.StartsWith("[offline model] You said: \"What is the capital of France?\" (6 words).", reply);
        Assert.Contains("OPENAI_API_KEY", reply);
    }

    [Fact]
    public void The_reply_answers_the_last_user_message_only()
    {
        UpstreamChatRequest request = new("offline",
            [new UpstreamMessage("user", "Say first"), new UpstreamMessage("assistant", "First"), new UpstreamMessage("user", "Say second one")],
            null, null, null, true);

        Assert.Equal("Second one", OfflineModel.Answer(request, Words).Content);
    }

    [Fact]
    public void The_same_request_always_gets_the_same_answer()
    {
        var first = OfflineModel.Answer(Ask("hello there"), Words);
        var second = OfflineModel.Answer(Ask("hello there"), Words);

        Assert.Equal((first.Content, first.FinishReason, first.Usage), (second.Content, second.FinishReason, second.Usage));
        Assert.Equal<string>(first.Chunks, second.Chunks);
    }

    [Fact]
    public void Nothing_to_answer_still_gets_a_reply()
    {
        var answer = OfflineModel.Answer(new UpstreamChatRequest("offline", [new UpstreamMessage("system", "x")], null, null, null, false), Words);

        Assert.Contains("offline model", answer.Content);
    }

    [Theory]
    [InlineData("Say this is a test!")]
    [InlineData("hi")]
    [InlineData("Say hey")]
    [InlineData("Say ok!")]
    [InlineData("Say 😀😀😀")]
    [InlineData("Say e\u0301e\u0301e\u0301")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a much longer message with many words in it to see it split up properly")]
    public void Every_reply_streams_in_at_least_three_pieces_that_join_back_to_it(string message)
    {
        var answer = OfflineModel.Answer(Ask(message), Words);

        Assert.True(answer.Chunks.Length >= 3, $"{answer.Chunks.Length} pieces for \"{answer.Content}\"");
        Assert.Equal(answer.Content, string.Concat(answer.Chunks));
        Assert.All(answer.Chunks, chunk => Assert.NotEmpty(chunk));
        Assert.All(answer.Chunks, chunk => Assert.False(char.IsLowSurrogate(chunk[0]), "a piece starts inside a surrogate pair"));
    }

    [Fact]
    public void Pieces_are_words_with_the_space_before_them()
    {
        Assert.Equal<string>(["This", " is", " a", " test!"], OfflineModel.Chunks("This is a test!"));
    }

    [Fact]
    public void A_short_reply_is_split_between_characters()
    {
        Assert.Equal<string>(["O", "k", "!"], OfflineModel.Chunks("Ok!"));
        Assert.Equal<string>(["😀", "😀", "😀"], OfflineModel.Chunks("😀😀😀"));
        Assert.Equal<string>(["ab", "cd", "ef"], OfflineModel.Chunks("abcdef"));
    }

    [Fact]
    public void A_long_echo_is_shortened()
    {
        var reply = OfflineModel.Answer(Ask(string.Join(' ', Enumerable.Repeat("word", 500))), Words).Content;

        Assert.Contains("…", reply);
        Assert.True(reply.Length < 600);
    }

    [Fact]
    public void Usage_counts_the_prompt_like_the_upstream_and_the_reply_with_the_given_counter()
    {
        var request = Ask("Say this is a test!");

        var answer = OfflineModel.Answer(request, Words);

        Assert.Equal(PromptTokens.Count(request.Messages, Words), answer.Usage.PromptTokens);
        Assert.Equal(4, answer.Usage.CompletionTokens);
    }

    [Fact]
    public void Max_tokens_cuts_the_reply_and_says_so()
    {
        var answer = OfflineModel.Answer(Ask("Say one two three four five six", maxTokens: 3), Words);

        Assert.Equal("One two three", answer.Content);
        Assert.Equal("length", answer.FinishReason);
        Assert.Equal(3, answer.Usage.CompletionTokens);
        Assert.Equal(answer.Content, string.Concat(answer.Chunks));
    }

    [Fact]
    public void Max_tokens_that_the_reply_fits_in_changes_nothing()
    {
        var free = OfflineModel.Answer(Ask("Say one two"), Words);
        var capped = OfflineModel.Answer(Ask("Say one two", maxTokens: 2), Words);

        Assert.Equal(("One two", "stop"), (capped.Content, capped.FinishReason));
        Assert.Equal((free.Content, free.Usage), (capped.Content, capped.Usage));
        Assert.Equal<string>(free.Chunks, capped.Chunks);
    }

    [Fact]
    public void A_message_with_images_is_answered_from_its_text()
    {
        var user = new UpstreamMessage("user", "Say this is a test!")
        {
            Parts = [new UpstreamContentPart.Text("Say this is a test!"), new UpstreamContentPart.ImageUrl("https://example.com/a.png", null)],
        };

        Assert.Equal("This is a test!", OfflineModel.Answer(new UpstreamChatRequest("offline", [user], null, null, null, false), Words).Content);
    }

    [Fact]
    public void A_message_of_images_and_files_only_is_told_what_arrived()
    {
        var user = new UpstreamMessage("user", "")
        {
            Parts =
            [
                new UpstreamContentPart.ImageUrl("https://example.com/a.png", null),
                new UpstreamContentPart.ImageUrl("https://example.com/b.png", null),
                new UpstreamContentPart.File("JVBE", "c.pdf"),
            ],
        };

        var reply = OfflineModel.Answer(new UpstreamChatRequest("offline", [user], null, null, null, false), Words).Content;

        Assert.StartsWith("[offline model] You sent 2 images and 1 file and no text.", reply);
    }

    [Fact]
    public void Offered_tools_are_never_called_and_the_last_user_message_is_answered_after_a_tool_result()
    {
        var request = new UpstreamChatRequest(
            "offline",
            [
                new UpstreamMessage("user", "Say the weather is fine"),
                new UpstreamMessage("assistant", "") { ToolCalls = [new UpstreamToolCall("call_1", "get_weather", "{}")] },
                UpstreamMessage.ToolResult("call_1", "sunny"),
            ],
            null, null, null, false)
        {
            Tools = [new FunctionTool("get_weather", null, null, null)],
        };

        var answer = OfflineModel.Answer(request, Words);

        Assert.Equal(("The weather is fine", "stop"), (answer.Content, answer.FinishReason));
        Assert.Equal(PromptTokens.Count(request, Words), answer.Usage.PromptTokens);
    }
}
