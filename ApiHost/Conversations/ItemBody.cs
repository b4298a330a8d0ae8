using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// One input item, as the OpenAPI document shows it: a message, a function call, or a function call's
/// output, told apart by <c>type</c> (a message may leave it out). <see cref="Core.Items.ItemRequests"/>
/// reads it; this only describes it.
/// </summary>
[Description("Ids a client sends are not kept: items get new ones. Item types with no Chat Completions equivalent "
    + "(reasoning, hosted tool calls, MCP, …) are refused.")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageItemBody), "message")]
[JsonDerivedType(typeof(FunctionCallItemBody), "function_call")]
[JsonDerivedType(typeof(FunctionCallOutputItemBody), "function_call_output")]
public abstract record ItemBody;
