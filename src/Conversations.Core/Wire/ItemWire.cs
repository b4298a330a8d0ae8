using System.Text.Json;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Wire;

/// <summary>Items as the objects the API writes.</summary>
public static class ItemWire
{
    private static readonly IReadOnlyList<JsonElement> None = [];

    /// <summary>An item in OpenAI's shape: in a response's output and input items, and in stream events.</summary>
    public static ItemObject Of(Item item) => Of(item, null);

    /// <summary>An item as a conversation lists it: OpenAI's shape plus <c>created_at</c>.</summary>
    public static ItemObject InConversation(Item item) => Of(item, item.CreatedAt.ToUnixTimeSeconds());

    public static ContentPartObject Part(ContentPart part) => part switch
    {
        ContentPart.InputText text => new InputTextPartObject(text.Text),
        ContentPart.OutputText text => new OutputTextPartObject(text.Text, JsonArray(text.AnnotationsJson), JsonArray(text.LogprobsJson)),
        ContentPart.InputImage image => new InputImagePartObject(image.ImageUrl, image.Detail),
        ContentPart.InputFile file => new InputFilePartObject(file.FileData, file.Filename),
        ContentPart.Refusal refusal => new RefusalPartObject(refusal.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown content part."),
    };

    public static string Status(ItemStatus status) => status switch
    {
        ItemStatus.Completed => "completed",
        ItemStatus.Incomplete => "incomplete",
        ItemStatus.InProgress => "in_progress",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown item status."),
    };

    private static ItemObject Of(Item item, long? createdAt) => item switch
    {
        MessageItem message => new MessageItemObject(
            message.Id, Roles.ToWire(message.Role), Status(message.Status), message.Content.Select(Part).ToList(), createdAt),
        FunctionCallItem call => new FunctionCallItemObject(call.Id, call.CallId, call.Name, call.Arguments, Status(call.Status), createdAt),
        FunctionCallOutputItem output => new FunctionCallOutputItemObject(output.Id, output.CallId, output.Output, Status(output.Status), createdAt),
        CompactionItem compaction => new CompactionItemObject(compaction.Id, compaction.Summary, createdAt),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "Unknown item."),
    };

    /// <summary>A JSON array kept as text (annotations, log probabilities), as its elements; anything else as none.</summary>
    private static IReadOnlyList<JsonElement> JsonArray(string json)
    {
        if (json == ContentPart.OutputText.NoneJson)
        {
            return None;
        }

        var array = JsonElement.Parse(json);
        return array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : None;
    }
}
