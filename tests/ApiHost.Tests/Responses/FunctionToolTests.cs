using System.ClientModel;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// A function tool round trip as the SDK drives it: the response offers a function, the model calls it,
/// the client runs it and sends its output back on the same conversation (or by
/// <c>previous_response_id</c>), and the model answers with the output in view. The fake upstream calls
/// the first tool offered and, after a tool result, quotes it.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class FunctionToolTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";
    private const string ToolOutput = """{"temperature":"21C","sky":"sunny"}""";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    private static ResponseTool Weather() =>
        ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), strictModeEnabled: true, "Gets the current weather in a city");

    [Fact]
    public async Task A_tool_call_and_its_output_go_round_through_a_conversation()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;

        var ask = Sdk.Ask(Model, "Paris");
        ask.ConversationOptions = new ResponseConversationOptions(conversationId);
        ask.Tools.Add(Weather());
        ResponseResult called = await _responses.CreateResponseAsync(ask);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.StartsWith("fc_", call.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        Assert.Equal(ResponseStatus.Completed, called.Status);
        var offered = Assert.Single(_upstream.ChatRequestsSince(before)).Json.GetProperty("tools")[0];
        Assert.Equal("function", offered.GetProperty("type").GetString());
        Assert.Equal("get_weather", offered.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Gets the current weather in a city", offered.GetProperty("function").GetProperty("description").GetString());
        Assert.True(offered.GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.Equal("string", offered.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());

        before = _upstream.ChatRequests.Count;
        var answer = new CreateResponseOptions(Model, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, ToolOutput)])
        {
            ConversationOptions = new ResponseConversationOptions(conversationId),
        };
        answer.Tools.Add(Weather());
        ResponseResult answered = await _responses.CreateResponseAsync(answer);

        Assert.Equal(FakeReplies.AfterToolResult(ToolOutput), answered.GetOutputText());
        Assert.Equal(
            ["user: Paris", $$"""assistant: [calls {{call.CallId}} get_weather {"city":"Paris"}]""", $"tool {call.CallId}: {ToolOutput}"],
            Assert.Single(_upstream.ChatRequestsSince(before)).Messages());
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(
            ["user: Paris", """function_call get_weather {"city":"Paris"}""", $"function_call_output {ToolOutput}", $"assistant: {FakeReplies.AfterToolResult(ToolOutput)}"],
            items.Select(Sdk.Describe));
        Assert.Equal(call.Id, items[1].Id);
        Assert.Equal(call.CallId, Assert.IsType<FunctionCallOutputResponseItem>(items[2]).CallId);
    }

    [Fact]
    public async Task A_tool_call_and_its_output_go_round_through_previous_response_id()
    {
        var before = _upstream.ChatRequests.Count;
        var ask = Sdk.Ask(Model, "Lyon");
        ask.Tools.Add(Weather());
        ResponseResult called = await _responses.CreateResponseAsync(ask);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));

        var answer = new CreateResponseOptions(Model, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, ToolOutput)]) { PreviousResponseId = called.Id };
        answer.Tools.Add(Weather());
        ResponseResult answered = await _responses.CreateResponseAsync(answer);

        Assert.Equal("""{"city":"Lyon"}""", call.FunctionArguments.ToString());
        Assert.Equal(FakeReplies.AfterToolResult(ToolOutput), answered.GetOutputText());
        Assert.Equal(called.Id, answered.PreviousResponseId);
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(2, sent.Count);
        Assert.Equal(
            ["user: Lyon", $$"""assistant: [calls {{call.CallId}} get_weather {"city":"Lyon"}]""", $"tool {call.CallId}: {ToolOutput}"],
            sent[1].Messages());
    }

    [Fact]
    public async Task A_tool_round_trip_with_nothing_stored_resends_the_call_as_the_sdk_returned_it()
    {
        var before = _upstream.ChatRequests.Count;
        var question = ResponseItem.CreateUserMessageItem("Nice");
        var ask = new CreateResponseOptions(Model, [question]) { StoredOutputEnabled = false };
        ask.Tools.Add(Weather());
        ResponseResult called = await _responses.CreateResponseAsync(ask);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));

        var answer = new CreateResponseOptions(Model, [question, call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, ToolOutput)]) { StoredOutputEnabled = false };
        answer.Tools.Add(Weather());
        ResponseResult answered = await _responses.CreateResponseAsync(answer);

        Assert.Equal(FakeReplies.AfterToolResult(ToolOutput), answered.GetOutputText());
        Assert.Equal(
            ["user: Nice", $$"""assistant: [calls {{call.CallId}} get_weather {"city":"Nice"}]""", $"tool {call.CallId}: {ToolOutput}"],
            _upstream.ChatRequestsSince(before)[1].Messages());
    }

    [Fact]
    public async Task A_streamed_tool_call_streams_its_arguments_and_the_streamed_answer_completes_the_round_trip()
    {
        var conversationId = await _conversations.NewConversation();

        var ask = Sdk.Ask(Model, "Marseille");
        ask.ConversationOptions = new ResponseConversationOptions(conversationId);
        ask.Tools.Add(Weather());
        var updates = await _responses.Stream(ask);

        var argumentDeltas = updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().ToList();
        Assert.NotEmpty(argumentDeltas);
        Type[] expected =
        [
            typeof(StreamingResponseCreatedUpdate),
            typeof(StreamingResponseInProgressUpdate),
            typeof(StreamingResponseOutputItemAddedUpdate),
            .. argumentDeltas.Select(_ => typeof(StreamingResponseFunctionCallArgumentsDeltaUpdate)),
            typeof(StreamingResponseFunctionCallArgumentsDoneUpdate),
            typeof(StreamingResponseOutputItemDoneUpdate),
            typeof(StreamingResponseCompletedUpdate),
        ];
        Assert.Equal(expected, updates.Select(u => u.GetType()));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        const string Arguments = """{"city":"Marseille"}""";
        Assert.Equal(Arguments, string.Concat(argumentDeltas.Select(d => d.Delta.ToString())));
        Assert.Equal(Arguments, updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>().Single().FunctionArguments.ToString());
        var added = Assert.IsType<FunctionCallResponseItem>(updates.OfType<StreamingResponseOutputItemAddedUpdate>().Single().Item);
        var done = Assert.IsType<FunctionCallResponseItem>(updates.OfType<StreamingResponseOutputItemDoneUpdate>().Single().Item);
        Assert.Equal("get_weather", added.FunctionName);
        Assert.Equal(added.Id, done.Id);
        Assert.Equal(added.CallId, done.CallId);
        Assert.Equal(Arguments, done.FunctionArguments.ToString());
        Assert.All(argumentDeltas, d => Assert.Equal(added.Id, d.ItemId));
        var completed = Sdk.Completed(updates);
        Assert.Equal(done.Id, Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems)).Id);

        var answer = new CreateResponseOptions(Model, [ResponseItem.CreateFunctionCallOutputItem(done.CallId, ToolOutput)])
        {
            ConversationOptions = new ResponseConversationOptions(conversationId),
        };
        answer.Tools.Add(Weather());
        var answered = await _responses.Stream(answer);

        var text = Sdk.TextOf(answered);
        Assert.Equal(FakeReplies.AfterToolResult(ToolOutput), text);
        Sdk.Completed(answered);
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(
            ["user: Marseille", $"function_call get_weather {Arguments}", $"function_call_output {ToolOutput}", $"assistant: {text}"],
            items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task A_forced_tool_choice_and_parallel_tool_calls_reach_the_upstream_and_the_named_tool_is_called()
    {
        var before = _upstream.ChatRequests.Count;
        var ask = Sdk.Ask(Model, "Paris");
        ask.Tools.Add(Weather());
        ask.Tools.Add(ResponseTool.CreateFunctionTool("get_time", BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}}}"""), strictModeEnabled: false));
        ask.ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_time");
        ask.ParallelToolCallsEnabled = false;

        ResponseResult called = await _responses.CreateResponseAsync(ask);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));
        Assert.Equal("get_time", call.FunctionName);
        Assert.Equal("""{"zone":"Paris"}""", call.FunctionArguments.ToString());
        var sent = Assert.Single(_upstream.ChatRequestsSince(before)).Json;
        Assert.Equal(["get_weather", "get_time"], sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("get_time", sent.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(sent.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.False(called.ParallelToolCallsEnabled);
    }

    [Fact]
    public async Task A_hosted_tool_is_refused_with_400_naming_tools_and_no_model_call()
    {
        var before = _upstream.ChatRequests.Count;
        var ask = Sdk.Ask(Model, "Search the web for the weather");
        ask.Tools.Add(ResponseTool.CreateWebSearchTool());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _responses.CreateResponseAsync(ask));

        Assert.Equal(400, error.Status);
        Assert.Contains("Parameter: tools", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }
}
