using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;
using static Conversations.Core.Tests.Wire.Responses.ResponseSamples;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire.Responses;

public class ResponseWireTests
{
    /// <summary>The settings part every response below shares: the defaults, echoed as OpenAI does.</summary>
    private const string DefaultSettings =
        "\"instructions\":null,\"max_output_tokens\":null,\"max_tool_calls\":null,\"metadata\":{},\"model\":\"gpt-4o-mini\"";

    private const string DefaultEcho =
        "\"reasoning\":null,\"safety_identifier\":null,\"service_tier\":\"default\",\"store\":true,\"temperature\":1,"
        + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_logprobs\":0,\"top_p\":1,"
        + "\"frequency_penalty\":0,\"presence_penalty\":0,\"truncation\":\"disabled\"";

    private const string Usage =
        "\"usage\":{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":4,\"cache_write_tokens\":0},"
        + "\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":15}";

    private static string Json(ResponseRecord response) => System.Text.Encoding.UTF8.GetString(WireJson.Serialize(ResponseWire.Response(response)));

    [Fact]
    public void A_completed_text_response_is_written_exactly()
    {
        var json = Json(CompletedWith(AssistantText("Hi there")));

        Assert.Equal(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741944413,\"status\":\"completed\",\"background\":false,"
            + "\"completed_at\":1741944415,\"conversation\":null,\"error\":null,\"incomplete_details\":null," + DefaultSettings + ","
            + "\"output\":[{\"type\":\"message\",\"id\":\"msg_out\",\"role\":\"assistant\",\"status\":\"completed\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hi there\",\"annotations\":[],\"logprobs\":[]}]}],"
            + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"prompt_cache_key\":null," + DefaultEcho + "," + Usage + ",\"user\":null}",
            json);
    }

    [Fact]
    public void A_response_that_called_a_function_in_a_conversation_is_written_exactly()
    {
        var settings = ResponseSettings.Default with
        {
            Tools = [new FunctionTool("get_weather", "Current weather for a city.", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", true)],
            ParallelToolCalls = false,
        };
        var response = CompletedWith(Call("fc_1", "call_abc", "get_weather", """{"city":"Paris"}""")) with
        {
            ConversationId = "conv_1",
            Settings = settings,
        };

        Assert.Equal(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741944413,\"status\":\"completed\",\"background\":false,"
            + "\"completed_at\":1741944415,\"conversation\":{\"id\":\"conv_1\"},\"error\":null,\"incomplete_details\":null," + DefaultSettings + ","
            + "\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_abc\",\"name\":\"get_weather\","
            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"status\":\"completed\"}],"
            + "\"parallel_tool_calls\":false,\"previous_response_id\":null,\"prompt_cache_key\":null,"
            + "\"reasoning\":null,\"safety_identifier\":null,\"service_tier\":\"default\",\"store\":true,\"temperature\":1,"
            + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\","
            + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Current weather for a city.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]},\"strict\":true}],"
            + "\"top_logprobs\":0,\"top_p\":1,\"frequency_penalty\":0,\"presence_penalty\":0,\"truncation\":\"disabled\"," + Usage + ",\"user\":null}",
            Json(response));
    }

    [Fact]
    public void A_response_cut_by_its_token_limit_is_written_exactly()
    {
        var response = CompletedWith(AssistantText("Once upon a", status: ItemStatus.Incomplete)) with
        {
            Status = ResponseStatus.Incomplete,
            IncompleteReason = "max_output_tokens",
            Settings = ResponseSettings.Default with { MaxOutputTokens = 16 },
        };

        Assert.Equal(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741944413,\"status\":\"incomplete\",\"background\":false,"
            + "\"completed_at\":null,\"conversation\":null,\"error\":null,\"incomplete_details\":{\"reason\":\"max_output_tokens\"},"
            + "\"instructions\":null,\"max_output_tokens\":16,\"max_tool_calls\":null,\"metadata\":{},\"model\":\"gpt-4o-mini\","
            + "\"output\":[{\"type\":\"message\",\"id\":\"msg_out\",\"role\":\"assistant\",\"status\":\"incomplete\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"Once upon a\",\"annotations\":[],\"logprobs\":[]}]}],"
            + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"prompt_cache_key\":null," + DefaultEcho + "," + Usage + ",\"user\":null}",
            Json(response));
    }

    [Fact]
    public void A_failed_response_is_written_exactly()
    {
        var response = Started() with
        {
            Status = ResponseStatus.Failed,
            Output = [AssistantText("Partial ans", status: ItemStatus.Incomplete)],
            Error = new ResponseFailure("server_error", "The model provider's stream failed: connection reset."),
        };

        Assert.Equal(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741944413,\"status\":\"failed\",\"background\":false,"
            + "\"completed_at\":null,\"conversation\":null,"
            + "\"error\":{\"code\":\"server_error\",\"message\":\"The model provider's stream failed: connection reset.\"},"
            + "\"incomplete_details\":null," + DefaultSettings + ","
            + "\"output\":[{\"type\":\"message\",\"id\":\"msg_out\",\"role\":\"assistant\",\"status\":\"incomplete\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"Partial ans\",\"annotations\":[],\"logprobs\":[]}]}],"
            + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"prompt_cache_key\":null," + DefaultEcho + ",\"usage\":null,\"user\":null}",
            Json(response));
    }

    public static TheoryData<string, ResponseRecord> EveryKindOfResponse() => new()
    {
        { "started", Started() },
        { "background", Started(background: true) with { Status = ResponseStatus.Queued } },
        { "completed", CompletedWith(AssistantText("Hi")) },
        { "function call", CompletedWith(Call("fc_1", "call_1", "f", "{}")) with { ConversationId = "conv_1" } },
        { "incomplete", CompletedWith(AssistantText("Hi", status: ItemStatus.Incomplete)) with { Status = ResponseStatus.Incomplete, IncompleteReason = "content_filter" } },
        { "failed", Started() with { Status = ResponseStatus.Failed, Error = new ResponseFailure("upstream_error", "x") } },
        { "cancelled", Started(background: true) with { Status = ResponseStatus.Cancelled } },
        { "everything set", CompletedWith(AssistantText("Hi")) with { Settings = EverySetting(), PreviousResponseId = "resp_0", Stored = false } },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public void Every_kind_of_response_meets_the_dotnet_sdks_rules(string kind, ResponseRecord response)
    {
        var json = Of(ResponseWire.Response(response));

        Assert.True(DotNetSdkRules.Response(json).Count == 0, $"{kind}: {string.Join("; ", DotNetSdkRules.Response(json))}");
    }

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public void Every_key_the_spec_requires_is_present_whatever_the_response(string kind, ResponseRecord response)
    {
        string[] required =
        [
            "id", "object", "created_at", "error", "incomplete_details", "instructions", "metadata", "model", "output",
            "parallel_tool_calls", "temperature", "tool_choice", "tools", "top_p",
            // Open Responses also wants these, as values rather than nulls.
            "truncation", "background", "service_tier", "presence_penalty", "frequency_penalty", "top_logprobs",
        ];

        var keys = Keys(Of(ResponseWire.Response(response)));

        Assert.True(required.All(keys.Contains), $"{kind}: missing {string.Join(", ", required.Except(keys))}");
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Every_setting_is_echoed_as_asked()
    {
        var json = Of(ResponseWire.Response(CompletedWith(AssistantText("{}")) with { Settings = EverySetting(), PreviousResponseId = "resp_0", Stored = false }));

        Assert.Equal("Be brief.", json.GetProperty("instructions").GetString());
        Assert.Equal("0.25", json.GetProperty("temperature").GetRawText());
        Assert.Equal("0.5", json.GetProperty("top_p").GetRawText());
        Assert.Equal(64, json.GetProperty("max_output_tokens").GetInt32());
        Assert.False(json.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("""{"type":"function","name":"lookup"}""", json.GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"format":{"type":"json_schema","name":"answer","schema":{"type":"object","properties":{"n":{"type":"integer"}}},"description":"The answer.","strict":true}}""", json.GetProperty("text").GetRawText());
        Assert.Equal("""{"effort":"low","summary":null}""", json.GetProperty("reasoning").GetRawText());
        Assert.Equal("auto", json.GetProperty("truncation").GetString());
        Assert.Equal("""{"topic":"demo"}""", json.GetProperty("metadata").GetRawText());
        Assert.Equal(("end-user", "safety-1", "cache-1"), (json.GetProperty("user").GetString(), json.GetProperty("safety_identifier").GetString(), json.GetProperty("prompt_cache_key").GetString()));
        Assert.Equal("resp_0", json.GetProperty("previous_response_id").GetString());
        Assert.False(json.GetProperty("store").GetBoolean());
        Assert.Equal("""[{"type":"function","name":"lookup","description":null,"parameters":null,"strict":null}]""", json.GetProperty("tools").GetRawText());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("auto")]
    [InlineData("required")]
    public void A_tool_choice_mode_is_written_as_a_bare_string(string mode)
    {
        var json = Of(ResponseWire.Response(Started(ResponseSettings.Default with { ToolChoice = new ToolChoice.Mode(mode) })));

        Assert.Equal(mode, json.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void A_json_object_format_is_written_by_its_type()
    {
        var json = Of(ResponseWire.Response(Started(ResponseSettings.Default with { Text = new TextFormat.JsonObject() })));

        Assert.Equal("""{"format":{"type":"json_object"}}""", json.GetProperty("text").GetRawText());
    }

    [Theory]
    [InlineData(ResponseStatus.Queued, "queued")]
    [InlineData(ResponseStatus.InProgress, "in_progress")]
    [InlineData(ResponseStatus.Completed, "completed")]
    [InlineData(ResponseStatus.Incomplete, "incomplete")]
    [InlineData(ResponseStatus.Failed, "failed")]
    [InlineData(ResponseStatus.Cancelled, "cancelled")]
    public void Each_status_is_written_by_openais_name(ResponseStatus status, string name)
    {
        Assert.Equal(name, ResponseWire.Status(status));
    }

    [Theory]
    [InlineData(ResponseStatus.Incomplete)]
    [InlineData(ResponseStatus.Failed)]
    [InlineData(ResponseStatus.Cancelled)]
    [InlineData(ResponseStatus.InProgress)]
    public void Completed_at_is_written_only_once_the_response_has_completed(ResponseStatus status)
    {
        var json = Of(ResponseWire.Response(CompletedWith(AssistantText("x")) with { Status = status }));

        IsNull(json, "completed_at");
    }

    [Fact]
    public void Usage_is_the_prompt_as_input_and_the_completion_as_output_with_both_detail_objects()
    {
        var usage = Of(ResponseWire.Usage(new TokenUsage(100, 20, CachedTokens: 64, ReasoningTokens: 8)));

        Assert.Equal("""{"input_tokens":100,"input_tokens_details":{"cached_tokens":64,"cache_write_tokens":0},"output_tokens":20,"output_tokens_details":{"reasoning_tokens":8},"total_tokens":120}""", usage.GetRawText());
    }

    [Theory]
    [InlineData("server_error", "server_error")]
    [InlineData("rate_limit_exceeded", "rate_limit_exceeded")]
    [InlineData("context_length_exceeded", "context_length_exceeded")]
    [InlineData("invalid_image_url", "invalid_image_url")]
    [InlineData("upstream_error", "server_error")]
    [InlineData("", "server_error")]
    public void An_error_code_is_always_one_from_openais_list(string code, string written)
    {
        Assert.Equal(written, ResponseWire.Error(new ResponseFailure(code, "m")).Code);
    }

    [Fact]
    public void A_rate_limit_fails_a_response_as_rate_limit_exceeded()
    {
        var failure = ResponseWire.Failure(new ApiError(429, ApiErrors.RateLimit, "tokens_per_day_exceeded", "Slow down.", null));

        Assert.Equal(new ResponseFailure("rate_limit_exceeded", "Slow down."), failure);
    }

    [Fact]
    public void Any_other_failure_fails_a_response_as_a_server_error_with_its_message()
    {
        var failure = ResponseWire.Failure(ApiErrors.From(new Core.Upstream.UpstreamError.Timeout("after 60 s")));

        Assert.Equal(new ResponseFailure("server_error", "The model provider did not answer in time: after 60 s"), failure);
    }

    [Fact]
    public void A_failure_whose_code_is_in_openais_list_keeps_it()
    {
        var failure = ResponseWire.Failure(new ApiError(400, ApiErrors.InvalidRequest, "context_length_exceeded", "Too long.", "input"));

        Assert.Equal("context_length_exceeded", failure.Code);
    }

    [Fact]
    public void A_deleted_response_is_acknowledged_as_response_deleted()
    {
        Assert.Equal("""{"id":"resp_1","object":"response.deleted","deleted":true}""", Of(ResponseWire.Deleted("resp_1")).GetRawText());
    }

    [Fact]
    public void An_input_token_count_is_written_in_openais_shape()
    {
        Assert.Equal("""{"object":"response.input_tokens","input_tokens":42}""", Of(ResponseWire.InputTokens(42)).GetRawText());
    }

    [Fact]
    public void The_input_items_of_a_response_are_a_list_of_items()
    {
        var response = CompletedWith(AssistantText("Hi"));

        var json = Of(WireObjects.List(response.Input.Select(ItemWire.Of).ToList(), i => i.Id, hasMore: false));

        Assert.Equal("""{"object":"list","data":[{"type":"message","id":"msg_in","role":"user","status":"completed","content":[{"type":"input_text","text":"Hello"}]}],"first_id":"msg_in","last_id":"msg_in","has_more":false}""", json.GetRawText());
    }

    [Fact]
    public void The_owner_is_never_written()
    {
        var text = System.Text.Encoding.UTF8.GetString(WireJson.Serialize(ResponseWire.Response(CompletedWith(AssistantText("Hi")))));

        Assert.DoesNotContain("user_1", text);
        Assert.DoesNotContain("owner", text);
    }

    [Fact]
    public void The_output_is_an_empty_array_when_nothing_was_produced()
    {
        var output = Of(ResponseWire.Response(Started())).GetProperty("output");

        Assert.Equal(JsonValueKind.Array, output.ValueKind);
        Assert.Equal(0, output.GetArrayLength());
    }

    private static ResponseSettings EverySetting() =>
        ResponseSettings.Default with
        {
            Instructions = "Be brief.",
            Temperature = 0.25,
            TopP = 0.5,
            MaxOutputTokens = 64,
            Tools = [new FunctionTool("lookup", null, null, null)],
            ToolChoice = new ToolChoice.Function("lookup"),
            ParallelToolCalls = false,
            Text = new TextFormat.JsonSchema("answer", """{"type":"object","properties":{"n":{"type":"integer"}}}""", "The answer.", true),
            ReasoningEffort = "low",
            Truncation = Truncation.Auto,
            Metadata = ImmutableSortedDictionary<string, string>.Empty.Add("topic", "demo"),
            User = "end-user",
            SafetyIdentifier = "safety-1",
            PromptCacheKey = "cache-1",
        };
}
