namespace Conversations.Core.Wire.Responses;

public sealed record JsonObjectFormatObject : TextFormatObject;
