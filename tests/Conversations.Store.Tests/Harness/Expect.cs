using OneOf;
using OneOf.Types;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;

namespace Conversations.Store.Tests.Harness;

internal static class Expect
{
    /// <summary>The append went through (it was not refused as stale).</summary>
    public static async Task Appended(Task<OneOf<Success, StaleHistory>> append)
    {
        var appended = await append;
        Assert.True(appended.IsT0, appended.IsT1 ? $"The append was refused as stale at sequence {appended.AsT1.Sequence}." : "");
    }

    /// <summary>The append was refused as stale; the refusal, to look at.</summary>
    public static StaleHistory Stale(OneOf<Success, StaleHistory> appended)
    {
        Assert.True(appended.IsT1, "The append went through, but it should have been refused as stale.");
        return appended.AsT1;
    }

    /// <summary>
    /// Field-by-field equality. Records compare their metadata dictionaries by reference, so the
    /// metadata is compared by content and the rest by record equality.
    /// </summary>
    public static void SameConversation(Conversation expected, Conversation actual)
    {
        Assert.Equal(expected.Metadata.ToArray(), actual.Metadata.ToArray());
        Assert.Equal(expected with { Metadata = actual.Metadata }, actual);
    }

    /// <summary>
    /// Every field of a stored answer. Records compare headers and body by reference, so both are
    /// compared by content: the headers as entries in ordinal key order, the body byte for byte.
    /// </summary>
    public static void SameRecord(IdempotencyRecord expected, IdempotencyRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            expected.Response.Headers.OrderBy(h => h.Key, StringComparer.Ordinal),
            actual.Response.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        // Not Assert.Equal: for a megabyte body its failure message would print both arrays.
        Assert.True(
            expected.Response.Body.AsSpan().SequenceEqual(actual.Response.Body),
            $"The body came back as {actual.Response.Body.Length} bytes that differ from the {expected.Response.Body.Length} stored.");
        Assert.Equal(
            expected with { Response = expected.Response with { Headers = actual.Response.Headers, Body = actual.Response.Body } },
            actual);
    }

    /// <summary>The conversation's turn keys, which the store returns in no particular order.</summary>
    public static void SameTurnKeys(IEnumerable<StoredTurnKey> expected, IEnumerable<StoredTurnKey> actual) =>
        Assert.Equal(
            expected.OrderBy(k => k.Key, StringComparer.Ordinal),
            actual.OrderBy(k => k.Key, StringComparer.Ordinal));

    public static void SameConversations(IEnumerable<Conversation> expected, IEnumerable<Conversation> actual)
    {
        var expectedList = expected.ToList();
        var actualList = actual.ToList();
        Assert.Equal(expectedList.Select(c => c.Id), actualList.Select(c => c.Id));
        for (var i = 0; i < expectedList.Count; i++)
        {
            SameConversation(expectedList[i], actualList[i]);
        }
    }
}
