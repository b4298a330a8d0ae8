using System.Text.Json;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>
/// What the official .NET SDK (2.15.0) refuses when it reads a Response or an item, as observed
/// (/work/notes/dotnet-responses-sdk.md §4.1 and §8): each rule broken is one line of the result.
/// </summary>
internal static class DotNetSdkRules
{
    private static readonly string[] ResponseStatuses = ["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"];
    private static readonly string[] ItemStatuses = ["completed", "incomplete", "in_progress"];

    public static List<string> Response(JsonElement response)
    {
        var broken = new List<string>();
        Integer(response, "created_at", broken, "response");
        if (response.TryGetProperty("completed_at", out var completedAt) && completedAt.ValueKind != JsonValueKind.Null)
        {
            Integer(response, "completed_at", broken, "response");
        }

        if (!response.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
        {
            broken.Add("response.output must be an array");
        }
        else
        {
            foreach (var item in output.EnumerateArray())
            {
                broken.AddRange(Item(item));
            }
        }

        Kind(response, "parallel_tool_calls", broken, "response", JsonValueKind.True, JsonValueKind.False);
        OneOf(response, "status", ResponseStatuses, broken, "response");
        Kind(response, "conversation", broken, "response", JsonValueKind.Object, JsonValueKind.Null);
        if (response.TryGetProperty("conversation", out var conversation) && conversation.ValueKind == JsonValueKind.Object)
        {
            Kind(conversation, "id", broken, "response.conversation", JsonValueKind.String);
        }

        if (response.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            Kind(error, "code", broken, "response.error", JsonValueKind.String);
            Kind(error, "message", broken, "response.error", JsonValueKind.String);
        }

        if (response.TryGetProperty("usage", out var usage) && usage.ValueKind != JsonValueKind.Null)
        {
            foreach (var key in new[] { "input_tokens", "output_tokens", "total_tokens" })
            {
                Integer(usage, key, broken, "response.usage");
            }

            Integer(usage.GetProperty("input_tokens_details"), "cached_tokens", broken, "response.usage.input_tokens_details");
            Integer(usage.GetProperty("output_tokens_details"), "reasoning_tokens", broken, "response.usage.output_tokens_details");
        }

        return broken;
    }

    public static List<string> Item(JsonElement item)
    {
        var broken = new List<string>();
        var type = item.GetProperty("type").GetString();
        OneOf(item, "status", ItemStatuses, broken, $"{type} item");
        switch (type)
        {
            case "message":
                if (!item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
                {
                    broken.Add("message.content must be an array");
                    break;
                }

                foreach (var part in content.EnumerateArray())
                {
                    broken.AddRange(Part(part));
                }

                break;
            case "function_call":
                Kind(item, "arguments", broken, "function_call", JsonValueKind.String);
                Kind(item, "call_id", broken, "function_call", JsonValueKind.String);
                break;
            case "function_call_output":
                Kind(item, "output", broken, "function_call_output", JsonValueKind.String);
                break;
        }

        return broken;
    }

    public static List<string> Part(JsonElement part)
    {
        var broken = new List<string>();
        if (part.GetProperty("type").GetString() == "output_text")
        {
            Kind(part, "annotations", broken, "output_text", JsonValueKind.Array);
            Kind(part, "logprobs", broken, "output_text", JsonValueKind.Array);
        }

        return broken;
    }

    private static void Integer(JsonElement element, string key, List<string> broken, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
        {
            broken.Add($"{where}.{key} must be an integer");
        }
    }

    private static void Kind(JsonElement element, string key, List<string> broken, string where, params JsonValueKind[] kinds)
    {
        if (!element.TryGetProperty(key, out var value) || !kinds.Contains(value.ValueKind))
        {
            broken.Add($"{where}.{key} must be {string.Join(" or ", kinds)}");
        }
    }

    private static void OneOf(JsonElement element, string key, string[] values, List<string> broken, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String || !values.Contains(value.GetString()))
        {
            broken.Add($"{where}.{key} must be one of {string.Join(", ", values)}");
        }
    }
}
