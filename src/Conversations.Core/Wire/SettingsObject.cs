namespace Conversations.Core.Wire;

/// <param name="Truncation"><c>disabled</c> or <c>auto</c>: what a turn does when the conversation no longer fits its model's window.</param>
public sealed record SettingsObject(string Model, string? Instructions, double? Temperature, double? TopP, int? MaxTokens, string Truncation);
