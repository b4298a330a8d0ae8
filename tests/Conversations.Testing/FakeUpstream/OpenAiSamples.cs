using System.Collections.Immutable;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// Exchanges in the exact shape OpenAI's Chat Completions API produces, for tests that replay them
/// verbatim. Written for this project after the documented and observed wire format.
/// </summary>
public static class OpenAiSamples
{
    /// <summary>The reply "This is a test!" in five content pieces.</summary>
    public const string SayThisIsATestContent = "This is a test!";

    public const string SayThisIsATestId = "chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj";

    public const string SayThisIsATestModel = "gpt-4o-mini-2024-07-18";

    public const long SayThisIsATestCreated = 1756890217;

    public const long SayThisIsATestPromptTokens = 12;

    public const long SayThisIsATestCompletionTokens = 5;

    /// <summary>
    /// A streamed answer to "Say this is a test!" with <c>stream_options.include_usage</c>: a role chunk, content
    /// chunks carrying <c>obfuscation</c> and <c>usage: null</c>, a finish chunk with an empty delta, the usage
    /// chunk with <c>choices: []</c>, and <c>[DONE]</c>.
    /// </summary>
    public const string SayThisIsATestStream =
        "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Qw3\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"This\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"8mZ1c\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" is\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Rk0pLd\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"vT4yN2x\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" test\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"a\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Hh5sWq0Ee\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,\"obfuscation\":\"J7\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\"object\":\"chat.completion.chunk\",\"created\":1756890217,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"cR2\"}\n\n"
        + "data: [DONE]\n\n";

    /// <summary>The same answer single-shot.</summary>
    public const string SayThisIsATestCompletion =
        "{\n  \"id\": \"chatcmpl-CAbq7ZyX3mWnP0vKd2sLr9TgQe5Hj\",\n  \"object\": \"chat.completion\",\n  \"created\": 1756890217,\n  \"model\": \"gpt-4o-mini-2024-07-18\",\n"
        + "  \"choices\": [\n    {\n      \"index\": 0,\n      \"message\": {\n        \"role\": \"assistant\",\n        \"content\": \"This is a test!\",\n        \"refusal\": null,\n        \"annotations\": []\n      },\n      \"logprobs\": null,\n      \"finish_reason\": \"stop\"\n    }\n  ],\n"
        + "  \"usage\": {\n    \"prompt_tokens\": 12,\n    \"completion_tokens\": 5,\n    \"total_tokens\": 17,\n    \"prompt_tokens_details\": {\n      \"cached_tokens\": 0,\n      \"audio_tokens\": 0\n    },\n    \"completion_tokens_details\": {\n      \"reasoning_tokens\": 0,\n      \"audio_tokens\": 0,\n      \"accepted_prediction_tokens\": 0,\n      \"rejected_prediction_tokens\": 0\n    }\n  },\n"
        + "  \"service_tier\": \"default\",\n  \"system_fingerprint\": \"fp_560af6e559\"\n}\n";

    /// <summary>The id of <see cref="WeatherToolCallsStream"/>.</summary>
    public const string WeatherToolCallsId = "chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm";

    /// <summary>The calls in <see cref="WeatherToolCallsStream"/>, whole.</summary>
    public static readonly ImmutableArray<FakeToolCall> WeatherToolCalls =
    [
        new("call_qM3vX7tY2pL9sK4wR8nB1cDe", "get_weather", "{\"city\": \"Paris\"}"),
        new("call_Zx8cV5bN2mQ7wE4rT1yU6iOp", "get_weather", "{\"city\": \"Rome\"}"),
    ];

    /// <summary>
    /// A streamed answer to "What is the weather in Paris and Rome?" with a <c>get_weather</c> tool: two parallel
    /// tool calls. The first chunk has the role, <c>content: null</c> and the first call's id and name with empty
    /// arguments; each call's arguments follow in pieces of a few characters, each chunk naming only the call's
    /// index; a second call begins with its own index, id and name; then the finish chunk (<c>tool_calls</c>) and
    /// the usage chunk, whose prompt was mostly cached.
    /// </summary>
    public const string WeatherToolCallsStream =
        "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_qM3vX7tY2pL9sK4wR8nB1cDe\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Tq1\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Lm\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"P\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Xk9q\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"aris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"B7\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_Zx8cV5bN2mQ7wE4rT1yU6iOp\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Pa3dZ\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"ci\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Qw\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"ty\\\": \\\"R\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Rk0p\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"ome\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"vT4y\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null,\"obfuscation\":\"a\"}\n\n"
        + "data: {\"id\":\"chatcmpl-CBt4uVwXyZ0aB1cD2eF3gH4iJ5kLm\",\"object\":\"chat.completion.chunk\",\"created\":1756890460,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[],\"usage\":{\"prompt_tokens\":82,\"completion_tokens\":51,\"total_tokens\":133,\"prompt_tokens_details\":{\"cached_tokens\":64,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"cR2\"}\n\n"
        + "data: [DONE]\n\n";
}
