namespace Conversations.Core.Wire.Responses;

/// <summary>The conversation a response belongs to: an object, never a bare id (the .NET SDK refuses a string).</summary>
public sealed record ConversationReferenceObject(string Id);
