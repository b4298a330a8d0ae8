namespace Conversations.Core.Wire;

public sealed record ModelObject(string Id, string Object, long Created, string OwnedBy);
