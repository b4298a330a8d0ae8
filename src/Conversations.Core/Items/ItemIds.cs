using System.Collections.Immutable;

namespace Conversations.Core.Items;

/// <summary>The id prefix of each kind of item, and how accepted items take their ids and places.</summary>
public static class ItemIds
{
    public const string MessagePrefix = "msg_";
    public const string FunctionCallPrefix = "fc_";
    public const string FunctionCallOutputPrefix = "fco_";
    public const string CompactionPrefix = "cmp_";

    public static string PrefixOf(Item item) => item switch
    {
        MessageItem => MessagePrefix,
        FunctionCallItem => FunctionCallPrefix,
        FunctionCallOutputItem => FunctionCallOutputPrefix,
        CompactionItem => CompactionPrefix,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "No id prefix for this item."),
    };

    /// <summary>Fresh ids for items a client sent (a client's own ids are never kept): one per item, from <paramref name="newId"/>.</summary>
    public static ImmutableArray<string> For(ImmutableArray<Item> items, Func<string, string> newId) =>
        items.Select(item => newId(PrefixOf(item))).ToImmutableArray();

    /// <summary>The items with the given ids, numbered from <paramref name="firstSequence"/>, made at <paramref name="at"/>.</summary>
    public static ImmutableArray<Item> Place(ImmutableArray<Item> items, ImmutableArray<string> ids, long firstSequence, DateTimeOffset at)
    {
        if (ids.Length != items.Length)
        {
            throw new ArgumentException($"Need one id per item: {items.Length} items, {ids.Length} ids.", nameof(ids));
        }

        var placed = ImmutableArray.CreateBuilder<Item>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            placed.Add(items[i] with { Id = ids[i], Sequence = firstSequence + i, CreatedAt = at });
        }

        return placed.MoveToImmutable();
    }

    /// <summary>The items numbered from <paramref name="firstSequence"/>, keeping their ids and times.</summary>
    public static ImmutableArray<Item> Number(ImmutableArray<Item> items, long firstSequence)
    {
        var numbered = ImmutableArray.CreateBuilder<Item>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            numbered.Add(items[i] with { Sequence = firstSequence + i });
        }

        return numbered.MoveToImmutable();
    }
}
