using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>The shape the model's text takes, keyed by <c>type</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlainTextFormatObject), "text")]
[JsonDerivedType(typeof(JsonObjectFormatObject), "json_object")]
[JsonDerivedType(typeof(JsonSchemaFormatObject), "json_schema")]
public abstract record TextFormatObject;
