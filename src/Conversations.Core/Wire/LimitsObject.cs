namespace Conversations.Core.Wire;

/// <summary>A user's own limits; null means the service-wide default applies.</summary>
public sealed record LimitsObject(int? RequestsPerMinute, long? TokensPerDay, int? ConcurrentStreams);
