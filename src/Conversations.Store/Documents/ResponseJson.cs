using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Responses;

namespace Conversations.Store.Documents;

/// <summary>
/// A response as the store keeps it: one JSON document holding the whole <see cref="ResponseRecord"/>
/// (its settings, its own input items and its output), beside the columns that find it. Raw JSON the
/// client sent (schemas, tool parameters) is kept as JSON, not re-encoded as strings.
/// </summary>
internal static class ResponseJson
{
    public static string Write(ResponseRecord response)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ItemJson.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("id", response.Id);
            writer.WriteString("owner_id", response.OwnerId);
            writer.WriteString("conversation_id", response.ConversationId);
            writer.WriteString("previous_response_id", response.PreviousResponseId);
            writer.WriteNumber("created_at_ticks", StoredValues.ToTicks(response.CreatedAt));
            if (response.CompletedAt is { } completedAt)
            {
                writer.WriteNumber("completed_at_ticks", StoredValues.ToTicks(completedAt));
            }

            writer.WriteString("status", StatusName(response.Status));
            writer.WriteString("model", response.Model);
            WriteSettings(writer, response.Settings);
            ItemJson.WriteItems(writer, "input", response.Input);
            ItemJson.WriteItems(writer, "output", response.Output);
            if (response.Usage is { } usage)
            {
                writer.WriteStartObject("usage");
                ItemJson.WriteUsage(writer, usage);
                writer.WriteEndObject();
            }

            if (response.Error is { } error)
            {
                writer.WriteStartObject("error");
                writer.WriteString("code", error.Code);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            writer.WriteString("incomplete_reason", response.IncompleteReason);
            writer.WriteBoolean("stored", response.Stored);
            writer.WriteBoolean("background", response.Background);
            if (response.LeftOutBefore is { } leftOutBefore)
            {
                writer.WriteString("left_out_before", leftOutBefore);
            }

            if (!response.StreamShape.IsEmpty)
            {
                writer.WriteStartArray("shape");
                foreach (var length in response.StreamShape)
                {
                    writer.WriteNumberValue(length);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static ResponseRecord Read(string document)
    {
        using var parsed = JsonDocument.Parse(document);
        var json = parsed.RootElement;
        return new ResponseRecord(
            Id: json.GetProperty("id").GetString()!,
            OwnerId: json.GetProperty("owner_id").GetString()!,
            ConversationId: json.GetProperty("conversation_id").GetString(),
            PreviousResponseId: json.GetProperty("previous_response_id").GetString(),
            CreatedAt: StoredValues.FromTicks(json.GetProperty("created_at_ticks").GetInt64()),
            CompletedAt: json.TryGetProperty("completed_at_ticks", out var completed) ? StoredValues.FromTicks(completed.GetInt64()) : null,
            Status: ParseStatus(json.GetProperty("status").GetString()!),
            Model: json.GetProperty("model").GetString()!,
            Settings: ReadSettings(json.GetProperty("settings")),
            Input: ItemJson.ReadItems(json.GetProperty("input")),
            Output: ItemJson.ReadItems(json.GetProperty("output")),
            Usage: json.TryGetProperty("usage", out var usage) ? ItemJson.ReadUsage(usage) : null,
            Error: json.TryGetProperty("error", out var error) ? new ResponseFailure(error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!) : null,
            IncompleteReason: json.GetProperty("incomplete_reason").GetString(),
            Stored: json.GetProperty("stored").GetBoolean(),
            Background: json.GetProperty("background").GetBoolean())
        {
            StreamShape = json.TryGetProperty("shape", out var shape) ? [.. shape.EnumerateArray().Select(length => length.GetInt32())] : [],
            LeftOutBefore = json.TryGetProperty("left_out_before", out var leftOutBefore) ? leftOutBefore.GetString() : null,
        };
    }

    public static string StatusName(ResponseStatus status) => status switch
    {
        ResponseStatus.Queued => "queued",
        ResponseStatus.InProgress => "in_progress",
        ResponseStatus.Completed => "completed",
        ResponseStatus.Incomplete => "incomplete",
        ResponseStatus.Failed => "failed",
        ResponseStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No stored name for this status."),
    };

    public static ResponseStatus ParseStatus(string name) => name switch
    {
        "queued" => ResponseStatus.Queued,
        "in_progress" => ResponseStatus.InProgress,
        "completed" => ResponseStatus.Completed,
        "incomplete" => ResponseStatus.Incomplete,
        "failed" => ResponseStatus.Failed,
        "cancelled" => ResponseStatus.Cancelled,
        _ => throw new InvalidDataException($"Stored response status '{name}' is not known to this build."),
    };

    private static void WriteSettings(Utf8JsonWriter writer, ResponseSettings settings)
    {
        writer.WriteStartObject("settings");
        writer.WriteString("instructions", settings.Instructions);
        WriteNumber(writer, "temperature", settings.Temperature);
        WriteNumber(writer, "top_p", settings.TopP);
        if (settings.MaxOutputTokens is { } maxOutputTokens)
        {
            writer.WriteNumber("max_output_tokens", maxOutputTokens);
        }

        writer.WriteStartArray("tools");
        foreach (var tool in settings.Tools)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tool.Name);
            writer.WriteString("description", tool.Description);
            if (tool.ParametersJson is { } parameters)
            {
                writer.WritePropertyName("parameters");
                writer.WriteRawValue(parameters, skipInputValidation: true);
            }

            if (tool.Strict is { } strict)
            {
                writer.WriteBoolean("strict", strict);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        switch (settings.ToolChoice)
        {
            case ToolChoice.Function function:
                writer.WriteString("tool_choice_function", function.Name);
                break;
            case ToolChoice.Mode mode:
                writer.WriteString("tool_choice", mode.Name);
                break;
        }

        writer.WriteBoolean("parallel_tool_calls", settings.ParallelToolCalls);
        writer.WriteStartObject("text");
        switch (settings.Text)
        {
            case TextFormat.JsonObject:
                writer.WriteString("type", "json_object");
                break;
            case TextFormat.JsonSchema schema:
                writer.WriteString("type", "json_schema");
                writer.WriteString("name", schema.Name);
                writer.WritePropertyName("schema");
                writer.WriteRawValue(schema.SchemaJson, skipInputValidation: true);
                writer.WriteString("description", schema.Description);
                if (schema.Strict is { } strict)
                {
                    writer.WriteBoolean("strict", strict);
                }

                break;
            default:
                writer.WriteString("type", "text");
                break;
        }

        writer.WriteEndObject();
        writer.WriteString("reasoning_effort", settings.ReasoningEffort);
        if (settings.Truncation is { } truncation)
        {
            writer.WriteString("truncation", StoredValues.TruncationName(truncation));
        }
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in settings.Metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteString("user", settings.User);
        writer.WriteString("safety_identifier", settings.SafetyIdentifier);
        writer.WriteString("prompt_cache_key", settings.PromptCacheKey);
        writer.WriteEndObject();
    }

    private static ResponseSettings ReadSettings(JsonElement json)
    {
        var tools = ImmutableArray.CreateBuilder<FunctionTool>();
        foreach (var tool in json.GetProperty("tools").EnumerateArray())
        {
            tools.Add(new FunctionTool(
                tool.GetProperty("name").GetString()!,
                tool.GetProperty("description").GetString(),
                tool.TryGetProperty("parameters", out var parameters) ? parameters.GetRawText() : null,
                tool.TryGetProperty("strict", out var strict) ? strict.GetBoolean() : null));
        }

        ToolChoice toolChoice = json.TryGetProperty("tool_choice_function", out var function)
            ? new ToolChoice.Function(function.GetString()!)
            : new ToolChoice.Mode(json.GetProperty("tool_choice").GetString()!);
        var text = json.GetProperty("text");
        TextFormat format = text.GetProperty("type").GetString() switch
        {
            "json_object" => new TextFormat.JsonObject(),
            "json_schema" => new TextFormat.JsonSchema(
                text.GetProperty("name").GetString()!,
                text.GetProperty("schema").GetRawText(),
                text.GetProperty("description").GetString(),
                text.TryGetProperty("strict", out var strictSchema) ? strictSchema.GetBoolean() : null),
            _ => TextFormat.Plain,
        };
        return new ResponseSettings(
            Instructions: json.GetProperty("instructions").GetString(),
            Temperature: Number(json, "temperature"),
            TopP: Number(json, "top_p"),
            MaxOutputTokens: json.TryGetProperty("max_output_tokens", out var max) ? max.GetInt32() : null,
            Tools: tools.ToImmutable(),
            ToolChoice: toolChoice,
            ParallelToolCalls: json.GetProperty("parallel_tool_calls").GetBoolean(),
            Text: format,
            ReasoningEffort: json.GetProperty("reasoning_effort").GetString(),
            Truncation: json.TryGetProperty("truncation", out var truncation) ? StoredValues.ParseTruncation(truncation.GetString()!) : null,
            Metadata: json.GetProperty("metadata").EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            User: json.GetProperty("user").GetString(),
            SafetyIdentifier: json.GetProperty("safety_identifier").GetString(),
            PromptCacheKey: json.GetProperty("prompt_cache_key").GetString());
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static double? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetDouble() : null;
}
