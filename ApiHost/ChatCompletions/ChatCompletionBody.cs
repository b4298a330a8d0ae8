using System.ComponentModel;
using System.Text.Json;
using Conversations.Core.ChatCompletions;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c> as the OpenAPI document shows it: OpenAI's Chat
/// Completions request. <see cref="ChatCompletionsRequests.Inspect"/> reads only these fields; the body
/// goes to the upstream as sent.
/// </summary>
[Description("OpenAI's Chat Completions request. Only these fields are read here; every other field (temperature, tools, response_format, …) goes to the upstream as sent.")]
public sealed record ChatCompletionBody
{
    [Description("The model, or an alias the service maps to an upstream model.")]
    public required string Model { get; init; }

    [Description("OpenAI's chat messages, passed on as sent.")]
    public required IReadOnlyList<JsonElement> Messages { get; init; }

    [Description("Answer as server-sent events.")]
    public bool? Stream { get; init; }

    [Description("OpenAI's stream options. The service asks the upstream for the usage chunk in any case (it counts the tokens) and passes it on only when include_usage is true.")]
    public JsonElement? StreamOptions { get; init; }
}
