namespace Conversations.Core.Wire;

public sealed record SettingsObject(string Model, string? Instructions, double? Temperature, double? TopP, int? MaxTokens);
