using System.ComponentModel;
using System.Text.Json;

namespace Conversations.ApiHost.Conversations;

/// <summary>A message item in a request body, as the OpenAPI document shows it.</summary>
public sealed record MessageItemBody : ItemBody
{
    [Description("user, system, developer or assistant.")]
    public required string Role { get; init; }

    [Description("A string, or an array of parts: input_text {text}, input_image {image_url, detail?} (an https or data: URL), "
        + "input_file {file_data, filename}; on an assistant message output_text {text, annotations?, logprobs?} and refusal {refusal}.")]
    public required JsonElement Content { get; init; }
}
