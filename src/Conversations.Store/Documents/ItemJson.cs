using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Store.Documents;

/// <summary>
/// Items as the store writes them in JSON: whole items inside a response's document, and the parts of an
/// item that do not fit a conversation row's plain columns (rich message content, a function call's
/// fields). Part and item type names are OpenAI's, so a stored document reads like the API's objects;
/// the layout is this store's own and changes only with a schema migration.
/// </summary>
internal static class ItemJson
{
    public static void WriteItems(Utf8JsonWriter writer, string name, ImmutableArray<Item> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            WriteItem(writer, item);
        }

        writer.WriteEndArray();
    }

    public static ImmutableArray<Item> ReadItems(JsonElement array)
    {
        var items = ImmutableArray.CreateBuilder<Item>(array.GetArrayLength());
        foreach (var element in array.EnumerateArray())
        {
            items.Add(ReadItem(element));
        }

        return items.MoveToImmutable();
    }

    public static void WriteItem(Utf8JsonWriter writer, Item item)
    {
        writer.WriteStartObject();
        writer.WriteString("type", TypeName(item));
        writer.WriteString("id", item.Id);
        writer.WriteNumber("seq", item.Sequence);
        writer.WriteString("status", StoredValues.ItemStatusName(item.Status));
        writer.WriteNumber("created_at_ticks", StoredValues.ToTicks(item.CreatedAt));
        if (item.Reply is { } reply)
        {
            writer.WriteStartObject("reply");
            WriteUsage(writer, reply.Usage);
            writer.WriteString("model", reply.Model);
            writer.WriteString("finish_reason", reply.FinishReason);
            writer.WriteString("completion_id", reply.CompletionId);
            writer.WriteEndObject();
        }

        WriteFields(writer, item);
        writer.WriteEndObject();
    }

    public static Item ReadItem(JsonElement json)
    {
        var id = json.GetProperty("id").GetString()!;
        var sequence = json.GetProperty("seq").GetInt64();
        var status = StoredValues.ParseItemStatus(json.GetProperty("status").GetString()!);
        var createdAt = StoredValues.FromTicks(json.GetProperty("created_at_ticks").GetInt64());
        ReplyInfo? reply = json.TryGetProperty("reply", out var replyJson)
            ? new ReplyInfo(ReadUsage(replyJson), replyJson.GetProperty("model").GetString()!, replyJson.GetProperty("finish_reason").GetString()!, replyJson.GetProperty("completion_id").GetString()!)
            : null;
        return ReadFields(json.GetProperty("type").GetString()!, json, id, sequence, status, createdAt, reply);
    }

    /// <summary>The type name a conversation row keeps in its <c>type</c> column.</summary>
    public static string TypeName(Item item) => item switch
    {
        MessageItem => "message",
        FunctionCallItem => "function_call",
        FunctionCallOutputItem => "function_call_output",
        CompactionItem => "compaction",
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "No stored type for this item."),
    };

    /// <summary>
    /// What a conversation row keeps in its <c>data</c> column: nothing for a message of plain text (its
    /// text is the <c>content</c> column), the parts of any other message, a call's or an output's fields.
    /// </summary>
    public static string? RowData(Item item)
    {
        if (item is MessageItem message && ContentParts.IsPlainText(message.Content))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            WriteFields(writer, item);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>An item from a conversation row's columns (see <see cref="RowData"/>).</summary>
    public static Item FromRow(string type, string role, string content, string? data, string id, long sequence, ItemStatus status, DateTimeOffset createdAt, ReplyInfo? reply)
    {
        if (data is null)
        {
            var messageRole = StoredValues.ParseRole(role);
            ContentPart part = messageRole == MessageRole.Assistant ? ContentPart.OutputText.Of(content) : new ContentPart.InputText(content);
            return new MessageItem(id, sequence, status, createdAt, reply, messageRole, [part]);
        }

        using var document = JsonDocument.Parse(data);
        var fields = document.RootElement;
        return type == "message"
            ? new MessageItem(id, sequence, status, createdAt, reply, StoredValues.ParseRole(role), ReadParts(fields.GetProperty("content")))
            : ReadFields(type, fields, id, sequence, status, createdAt, reply);
    }

    /// <summary>Relaxed escaping keeps stored text readable; the JSON never reaches a browser from here.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteFields(Utf8JsonWriter writer, Item item)
    {
        switch (item)
        {
            case MessageItem message:
                writer.WriteString("role", StoredValues.RoleName(message.Role));
                writer.WriteStartArray("content");
                foreach (var part in message.Content)
                {
                    WritePart(writer, part);
                }

                writer.WriteEndArray();
                break;
            case FunctionCallItem call:
                writer.WriteString("call_id", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                break;
            case FunctionCallOutputItem output:
                writer.WriteString("call_id", output.CallId);
                writer.WriteString("output", output.Output);
                break;
            case CompactionItem compaction:
                writer.WriteString("summary", compaction.Summary);
                break;
        }
    }

    private static Item ReadFields(string type, JsonElement json, string id, long sequence, ItemStatus status, DateTimeOffset createdAt, ReplyInfo? reply) => type switch
    {
        "message" => new MessageItem(id, sequence, status, createdAt, reply, StoredValues.ParseRole(json.GetProperty("role").GetString()!), ReadParts(json.GetProperty("content"))),
        "function_call" => new FunctionCallItem(id, sequence, status, createdAt, reply, Text(json, "call_id"), Text(json, "name"), Text(json, "arguments")),
        "function_call_output" => new FunctionCallOutputItem(id, sequence, status, createdAt, reply, Text(json, "call_id"), Text(json, "output")),
        "compaction" => new CompactionItem(id, sequence, status, createdAt, reply, Text(json, "summary")),
        _ => throw new InvalidDataException($"Stored item type '{type}' is not known to this build."),
    };

    private static void WritePart(Utf8JsonWriter writer, ContentPart part)
    {
        writer.WriteStartObject();
        switch (part)
        {
            case ContentPart.InputText input:
                writer.WriteString("type", "input_text");
                writer.WriteString("text", input.Text);
                break;
            case ContentPart.OutputText output:
                writer.WriteString("type", "output_text");
                writer.WriteString("text", output.Text);
                writer.WritePropertyName("annotations");
                writer.WriteRawValue(output.AnnotationsJson, skipInputValidation: true);
                writer.WritePropertyName("logprobs");
                writer.WriteRawValue(output.LogprobsJson, skipInputValidation: true);
                break;
            case ContentPart.InputImage image:
                writer.WriteString("type", "input_image");
                writer.WriteString("image_url", image.ImageUrl);
                writer.WriteString("detail", image.Detail);
                break;
            case ContentPart.InputFile file:
                writer.WriteString("type", "input_file");
                writer.WriteString("file_data", file.FileData);
                writer.WriteString("filename", file.Filename);
                break;
            case ContentPart.Refusal refusal:
                writer.WriteString("type", "refusal");
                writer.WriteString("refusal", refusal.Text);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, "No stored form for this content part.");
        }

        writer.WriteEndObject();
    }

    private static ImmutableArray<ContentPart> ReadParts(JsonElement array)
    {
        var parts = ImmutableArray.CreateBuilder<ContentPart>(array.GetArrayLength());
        foreach (var part in array.EnumerateArray())
        {
            parts.Add(part.GetProperty("type").GetString() switch
            {
                "input_text" => new ContentPart.InputText(Text(part, "text")),
                "output_text" => new ContentPart.OutputText(Text(part, "text"), part.GetProperty("annotations").GetRawText(), part.GetProperty("logprobs").GetRawText()),
                "input_image" => new ContentPart.InputImage(Text(part, "image_url"), Text(part, "detail")),
                "input_file" => new ContentPart.InputFile(Text(part, "file_data"), Text(part, "filename")),
                "refusal" => new ContentPart.Refusal(Text(part, "refusal")),
                var other => throw new InvalidDataException($"Stored content part type '{other}' is not known to this build."),
            });
        }

        return parts.MoveToImmutable();
    }

    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
    }

    public static TokenUsage ReadUsage(JsonElement json) => new(
        json.GetProperty("prompt_tokens").GetInt64(),
        json.GetProperty("completion_tokens").GetInt64(),
        json.GetProperty("cached_tokens").GetInt64(),
        json.GetProperty("reasoning_tokens").GetInt64());

    private static string Text(JsonElement json, string name) => json.GetProperty(name).GetString()!;
}
