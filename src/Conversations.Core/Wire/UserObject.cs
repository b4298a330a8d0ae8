namespace Conversations.Core.Wire;

public sealed record UserObject(string Id, string Object, string Name, LimitsObject Limits, long CreatedAt);
