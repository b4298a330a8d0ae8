namespace Conversations.Core.Wire.Responses;

public sealed record PlainTextFormatObject : TextFormatObject;
