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
}
