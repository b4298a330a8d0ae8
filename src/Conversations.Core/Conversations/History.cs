using System.Collections.Immutable;
using Conversations.Core.Json;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Conversations;

/// <summary>Reading a conversation's history, which is held in sequence order.</summary>
public static class History
{
    /// <summary>
    /// The page of <paramref name="history"/> that <paramref name="query"/> asks for. An <c>after</c>
    /// id that is not in this history is refused rather than read as "from the start", which would
    /// silently repeat items.
    /// </summary>
    public static OneOf<HistoryPage, ValidationError> Page(ImmutableArray<Item> history, PageQuery query)
    {
        var ascending = query.Order == Requests.SortOrder.Ascending;
        int start;
        if (query.After.Length == 0)
        {
            start = ascending ? 0 : history.Length - 1;
        }
        else
        {
            var at = IndexOf(history, query.After);
            if (at < 0)
            {
                return JsonField.Invalid("after", $"No item '{query.After}' in this conversation.");
            }

            start = ascending ? at + 1 : at - 1;
        }

        var step = ascending ? 1 : -1;
        var remaining = ascending ? history.Length - start : start + 1;
        var take = Math.Max(0, Math.Min(query.Limit, remaining));
        var items = ImmutableArray.CreateBuilder<Item>(take);
        for (var i = 0; i < take; i++)
        {
            items.Add(history[start + (i * step)]);
        }

        return new HistoryPage(items.MoveToImmutable(), remaining > take);
    }


    /// <summary>Where the message with this id is, or -1. Searched from the end, where recent turns are.</summary>
    public static int IndexOf(ImmutableArray<Item> history, string id)
    {
        for (var i = history.Length - 1; i >= 0; i--)
        {
            if (history[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
