using OneOf;
using OneOf.Types;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;

namespace Conversations.Store.Tests.Harness;

internal static class Expect
{
    /// <summary>
    /// Every field of a stored response. Records compare their collections by reference, so items and
    /// metadata are compared by content.
    /// </summary>
    public static void SameResponse(Conversations.Core.Responses.ResponseRecord expected, Conversations.Core.Responses.ResponseRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Input.Length, actual.Input.Length);
        Assert.Equal(expected.Output.Length, actual.Output.Length);
        for (var i = 0; i < expected.Input.Length; i++)
        {
            SameItem(expected.Input[i], actual.Input[i]);
        }

        for (var i = 0; i < expected.Output.Length; i++)
        {
            SameItem(expected.Output[i], actual.Output[i]);
        }

        Assert.Equal<Conversations.Core.Responses.FunctionTool>(expected.Settings.Tools, actual.Settings.Tools);
        Assert.Equal(expected.Settings.Metadata.ToArray(), actual.Settings.Metadata.ToArray());
        Assert.Equal(
            expected.Settings with { Tools = [], Metadata = actual.Settings.Metadata },
            actual.Settings with { Tools = [] });
        Assert.Equal(
            expected with { Input = [], Output = [], Settings = actual.Settings },
            actual with { Input = [], Output = [] });
    }

    /// <summary>An item, its content parts compared one by one.</summary>
    public static void SameItem(Conversations.Core.Items.Item expected, Conversations.Core.Items.Item actual)
    {
        if (expected is Conversations.Core.Items.MessageItem message)
        {
            var actualMessage = Assert.IsType<Conversations.Core.Items.MessageItem>(actual);
            Assert.Equal<Conversations.Core.Items.ContentPart>(message.Content, actualMessage.Content);
            Assert.Equal(message with { Content = [] }, actualMessage with { Content = [] });
            return;
        }

        Assert.Equal(expected, actual);
    }

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
