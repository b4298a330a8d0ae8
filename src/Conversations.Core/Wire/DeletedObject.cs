namespace Conversations.Core.Wire;

public sealed record DeletedObject(string Id, string Object, bool Deleted);
