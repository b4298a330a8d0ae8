using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>
/// An item as OpenAI writes one: in a conversation's item list, a response's <c>output</c> and input
/// items, and stream events. The <c>type</c> names the kind; System.Text.Json writes it first, from the
/// derived type, so it can neither be missing nor appear twice, and the OpenAPI document gets a
/// discriminated union. Serialize items as this type (as <see cref="ItemWire"/> returns them): as
/// its own type a kind would be written without <c>type</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageItemObject), "message")]
[JsonDerivedType(typeof(FunctionCallItemObject), "function_call")]
[JsonDerivedType(typeof(FunctionCallOutputItemObject), "function_call_output")]
[JsonDerivedType(typeof(CompactionItemObject), "compaction")]
public abstract record ItemObject([property: JsonPropertyOrder(-1)] string Id);
