namespace Conversations.Core.Wire.Responses;

/// <summary><c>tool_choice</c> naming one function: <c>{"type":"function","name":…}</c>.</summary>
public sealed record FunctionToolChoiceObject(string Type, string Name);
