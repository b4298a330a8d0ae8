using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conversations.Core.Wire.Responses;

namespace Conversations.Core.Wire;

/// <summary>
/// Source-generated JSON for everything the service writes. Nulls are written (OpenAI sends
/// <c>"param": null</c>, <c>"finish_reason": null</c>); the few fields OpenAI omits opt out per property.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ConversationObject))]
[JsonSerializable(typeof(DeletedObject))]
[JsonSerializable(typeof(ItemObject))]
[JsonSerializable(typeof(ListObject<ItemObject>))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseStreamEvent))]
[JsonSerializable(typeof(InputTokensObject))]
[JsonSerializable(typeof(CompactionObject))]
[JsonSerializable(typeof(FunctionToolChoiceObject))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ListObject<ConversationObject>))]
[JsonSerializable(typeof(ConversationExportObject))]
[JsonSerializable(typeof(ChatCompletionObject))]
[JsonSerializable(typeof(ChunkObject))]
[JsonSerializable(typeof(ModelObject))]
[JsonSerializable(typeof(ModelListObject))]
[JsonSerializable(typeof(UserObject))]
[JsonSerializable(typeof(ListObject<UserObject>))]
[JsonSerializable(typeof(ApiKeyObject))]
[JsonSerializable(typeof(ListObject<ApiKeyObject>))]
[JsonSerializable(typeof(UsageReportObject))]
[JsonSerializable(typeof(ListObject<UsageReportObject>))]
public sealed partial class WireJson : JsonSerializerContext
{
    /// <summary>
    /// What the API writes with: like <see cref="JsonSerializerContext"/>'s default, but leaving quotes,
    /// apostrophes and non-ASCII text as they are rather than <c>\u</c>-escaping them (which would be
    /// valid but larger, and unlike what OpenAI sends). Safe here: the output is JSON, never HTML.
    /// </summary>
    public static WireJson Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Api.GetTypeInfo(typeof(T))!);
}
