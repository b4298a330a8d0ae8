using System.Collections.Immutable;
using System.Text;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>A response's settings, context items and input items, as the Chat Completions request they become.</summary>
public sealed class ItemRequestBuilderTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReplyInfo EndOfTurn = new(new TokenUsage(10, 5), "gpt-4o-mini", "stop", "chatcmpl-1");

    private static MessageItem Message(MessageRole role, params ContentPart[] content) =>
        new($"msg_{role}", 0, ItemStatus.Completed, At, null, role, [.. content]);

    private static MessageItem User(string text) => Message(MessageRole.User, new ContentPart.InputText(text));

    private static MessageItem Assistant(string text, ReplyInfo? reply = null, ItemStatus status = ItemStatus.Completed) =>
        new("msg_a", 0, status, At, reply, MessageRole.Assistant, text.Length == 0 ? [] : [ContentPart.OutputText.Of(text)]);

    private static FunctionCallItem Call(string callId, string name = "get_weather", string arguments = "{}", ReplyInfo? reply = null, ItemStatus status = ItemStatus.Completed) =>
        new($"fc_{callId}", 0, status, At, reply, callId, name, arguments);

    private static FunctionCallOutputItem Output(string callId, string output) => new($"fco_{callId}", 0, ItemStatus.Completed, At, null, callId, output);

    private static string Messages(UpstreamChatRequest request)
    {
        var body = Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request with { MessagesJson = null }));
        var start = body.IndexOf("\"messages\":", StringComparison.Ordinal) + "\"messages\":".Length;
        var end = body.LastIndexOf(']') + 1;
        return body[start..end];
    }

    private static UpstreamChatRequest Build(ResponseSettings settings, Item[] context, Item[] input) =>
        ChatRequestBuilder.Build("gpt-4o-mini", settings, context, input, stream: false);

    [Fact]
    public void Instructions_lead_then_the_context_then_the_input()
    {
        var settings = ResponseSettings.Default with { Instructions = "Be brief." };

        var request = Build(settings, [Message(MessageRole.Developer, new ContentPart.InputText("Use French.")), User("Hello"), Assistant("Bonjour", EndOfTurn)], [User("How are you?")]);

        Assert.Equal<UpstreamMessage>(
            [
                new("system", "Be brief."),
                new("developer", "Use French."),
                new("user", "Hello"),
                new("assistant", "Bonjour"),
                new("user", "How are you?"),
            ],
            request.Messages);
        Assert.Equal("gpt-4o-mini", request.Model);
    }

    [Fact]
    public void A_text_only_item_history_is_written_like_a_text_only_conversation()
    {
        var request = Build(ResponseSettings.Default, [User("Hello"), Assistant("Hi!", EndOfTurn)], [User("Bye")]);

        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hi!"},{"role":"user","content":"Bye"}]}""",
            Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request)));
    }

    [Fact]
    public void Input_parts_become_text_image_and_file_parts_and_the_content_stays_the_plain_text()
    {
        var user = Message(
            MessageRole.User,
            new ContentPart.InputText("Compare "),
            new ContentPart.InputImage("https://example.com/a.png", "high"),
            new ContentPart.InputText("with the file."),
            new ContentPart.InputFile("data:application/pdf;base64,JVBE", "b.pdf"));

        var message = Assert.Single(Build(ResponseSettings.Default, [], [user]).Messages);

        Assert.Equal("Compare with the file.", message.Content);
        Assert.Equal<UpstreamContentPart>(
            [
                new UpstreamContentPart.Text("Compare "),
                new UpstreamContentPart.ImageUrl("https://example.com/a.png", "high"),
                new UpstreamContentPart.Text("with the file."),
                new UpstreamContentPart.File("data:application/pdf;base64,JVBE", "b.pdf"),
            ],
            message.Parts);
    }

    [Fact]
    public void Several_text_parts_stay_parts()
    {
        var message = Assert.Single(Build(ResponseSettings.Default, [], [Message(MessageRole.User, new ContentPart.InputText("a"), new ContentPart.InputText("b"))]).Messages);

        Assert.Equal("ab", message.Content);
        Assert.Equal<UpstreamContentPart>([new UpstreamContentPart.Text("a"), new UpstreamContentPart.Text("b")], message.Parts);
    }

    [Fact]
    public void An_assistant_messages_output_text_is_joined_as_its_content_and_a_refusal_is_its_refusal()
    {
        var assistant = new MessageItem(
            "msg_a", 0, ItemStatus.Completed, At, EndOfTurn, MessageRole.Assistant,
            [ContentPart.OutputText.Of("Part one, "), ContentPart.OutputText.Of("part two.")]);
        var refusing = new MessageItem("msg_r", 0, ItemStatus.Completed, At, EndOfTurn, MessageRole.Assistant, [new ContentPart.Refusal("I can't help with that.")]);

        var request = Build(ResponseSettings.Default, [User("x"), assistant, User("y"), refusing], [User("z")]);

        Assert.Equal(new UpstreamMessage("assistant", "Part one, part two."), request.Messages[1]);
        Assert.Equal(new UpstreamMessage("assistant", "") { Refusal = "I can't help with that." }, request.Messages[3]);
    }

    [Fact]
    public void Consecutive_function_calls_become_one_assistant_message_and_their_outputs_tool_messages()
    {
        Item[] context =
        [
            User("Weather in Paris and Rome?"),
            Call("call_1", arguments: """{"city":"Paris"}"""),
            Call("call_2", arguments: """{"city":"Rome"}""", reply: EndOfTurn),
        ];

        var request = Build(ResponseSettings.Default, context, [Output("call_1", "21C"), Output("call_2", "25C")]);

        Assert.Equal(
            """[{"role":"user","content":"Weather in Paris and Rome?"},"""
            + """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},"""
            + """{"role":"tool","tool_call_id":"call_1","content":"21C"},{"role":"tool","tool_call_id":"call_2","content":"25C"}]""",
            Messages(request));
    }

    [Fact]
    public void A_message_in_the_middle_of_its_turn_carries_the_calls_that_follow_it()
    {
        var request = Build(ResponseSettings.Default, [User("Weather?"), Assistant("Let me check."), Call("call_1", reply: EndOfTurn)], [Output("call_1", "sunny")]);

        Assert.Equal(
            """[{"role":"user","content":"Weather?"},{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}]""",
            Messages(request));
    }

    [Fact]
    public void Calls_after_a_message_that_ended_its_turn_are_a_message_of_their_own()
    {
        var request = Build(ResponseSettings.Default, [User("Hi"), Assistant("Hello!", EndOfTurn)], [Call("call_9"), Output("call_9", "ok")]);

        Assert.Equal(
            """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_9","content":"ok"}]""",
            Messages(request));
    }

    [Fact]
    public void Calls_in_the_input_join_the_calls_that_end_the_context()
    {
        var request = Build(ResponseSettings.Default, [User("x"), Call("call_1", reply: EndOfTurn)], [Call("call_2"), Output("call_1", "a"), Output("call_2", "b")]);

        Assert.Equal(["call_1", "call_2"], request.Messages[1].ToolCalls.Select(c => c.Id));
        Assert.Equal(4, request.Messages.Length);
    }

    [Fact]
    public void A_reply_cut_before_any_text_and_a_call_cut_short_are_left_out_and_one_cut_after_text_is_sent()
    {
        Item[] context =
        [
            User("Tell me a story"),
            Assistant("Once upon a", status: ItemStatus.Incomplete),
            User("Go on"),
            Assistant("", status: ItemStatus.Incomplete),
            User("Weather?"),
            Call("call_1"),
            Call("call_2", arguments: """{"ci""", status: ItemStatus.Incomplete),
        ];

        var request = Build(ResponseSettings.Default, context, [Output("call_1", "sunny")]);

        Assert.Equal(
            ["user:Tell me a story", "assistant:Once upon a", "user:Go on", "user:Weather?", "assistant:", "tool:sunny"],
            request.Messages.Select(m => $"{m.Role}:{m.Content}"));
        Assert.Equal(["call_1"], request.Messages[4].ToolCalls.Select(c => c.Id));
    }

    [Fact]
    public void A_refusal_cut_short_is_still_sent()
    {
        var refusal = new MessageItem("msg_r", 0, ItemStatus.Incomplete, At, EndOfTurn, MessageRole.Assistant, [new ContentPart.Refusal("I can")]);

        Assert.True(ChatRequestBuilder.IsSent(refusal));
    }

    [Fact]
    public void The_settings_map_onto_the_request()
    {
        var settings = ResponseSettings.Default with
        {
            Temperature = 0.5,
            TopP = 0.8,
            MaxOutputTokens = 300,
            Tools = [new FunctionTool("get_weather", "Weather.", """{"type":"object"}""", null)],
            ToolChoice = new ToolChoice.Mode("required"),
            ParallelToolCalls = false,
            Text = new TextFormat.JsonObject(),
            ReasoningEffort = "high",
            User = "u",
            SafetyIdentifier = "s",
            PromptCacheKey = "k",
        };

        var request = ChatRequestBuilder.Build("o4-mini", settings, ReadOnlySpan<Item>.Empty, [User("x")], stream: true);

        Assert.Equal(
            """{"model":"o4-mini","messages":[{"role":"user","content":"x"}],"temperature":0.5,"top_p":0.8,"max_tokens":300,"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather.","parameters":{"type":"object"}}}],"tool_choice":"required","parallel_tool_calls":false,"response_format":{"type":"json_object"},"reasoning_effort":"high","user":"u","safety_identifier":"s","prompt_cache_key":"k","stream":true,"stream_options":{"include_usage":true}}""",
            Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request)));
    }

    [Fact]
    public void Default_settings_add_nothing_to_the_body()
    {
        var request = ChatRequestBuilder.Build("m", ResponseSettings.Default, ReadOnlySpan<Item>.Empty, [User("x")], stream: false);

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request)));
    }

    [Fact]
    public void Items_of_the_same_shape_make_equal_messages()
    {
        ImmutableArray<Item> items = [User("x"), Assistant("Let me see."), Call("call_1")];

        Assert.Equal<UpstreamMessage>(
            ChatRequestBuilder.ForUpstream(items.AsSpan(), leadingComma: false).Messages,
            ChatRequestBuilder.ForUpstream([.. items], leadingComma: false).Messages);
    }
}
