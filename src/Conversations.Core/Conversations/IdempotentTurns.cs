using System.Collections.Immutable;
using Conversations.Core.Requests;

namespace Conversations.Core.Conversations;

/// <summary>The rules for idempotency keys on a conversation's turns. Time is handed in.</summary>
public static class IdempotentTurns
{
    public static TurnKeyCheck Check(ImmutableDictionary<string, TurnKeyEntry> keys, IdempotencyKey key, DateTimeOffset now)
    {
        if (!keys.TryGetValue(key.Key, out var entry) || Expired(entry, now))
        {
            return new TurnKeyCheck.Fresh();
        }

        if (entry.RequestHash != key.RequestHash)
        {
            return new TurnKeyCheck.Reused();
        }

        return entry.Running ? new TurnKeyCheck.InUse() : new TurnKeyCheck.Replay(entry.ReplyMessageId);
    }

    /// <summary>The keys with this one marked as running its turn, and those past the window dropped.</summary>
    public static ImmutableDictionary<string, TurnKeyEntry> Begin(ImmutableDictionary<string, TurnKeyEntry> keys, IdempotencyKey key, DateTimeOffset now) =>
        Prune(keys, now).SetItem(key.Key, new TurnKeyEntry(key.RequestHash, "", now));

    public static ImmutableDictionary<string, TurnKeyEntry> Complete(ImmutableDictionary<string, TurnKeyEntry> keys, IdempotencyKey key, string replyMessageId, DateTimeOffset now) =>
        keys.SetItem(key.Key, new TurnKeyEntry(key.RequestHash, replyMessageId, now));

    /// <summary>The turn stored nothing: the key is free again, so a retry runs the turn.</summary>
    public static ImmutableDictionary<string, TurnKeyEntry> Abandon(ImmutableDictionary<string, TurnKeyEntry> keys, IdempotencyKey key) =>
        keys.TryGetValue(key.Key, out var entry) && entry.Running ? keys.Remove(key.Key) : keys;

    public static ImmutableDictionary<string, TurnKeyEntry> Prune(ImmutableDictionary<string, TurnKeyEntry> keys, DateTimeOffset now) =>
        keys.Values.Any(entry => Expired(entry, now) && !entry.Running)
            ? keys.Where(pair => pair.Value.Running || !Expired(pair.Value, now)).ToImmutableDictionary()
            : keys;

    private static bool Expired(TurnKeyEntry entry, DateTimeOffset now) => entry.At + IdempotencyKey.Window <= now;
}
