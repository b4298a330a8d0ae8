using Conversations.Core.Conversations;

namespace Conversations.Store.Tests.Harness;

internal static class Expect
{
    /// <summary>
    /// Field-by-field equality. Records compare their metadata dictionaries by reference, so the
    /// metadata is compared by content and the rest by record equality.
    /// </summary>
    public static void SameConversation(Conversation expected, Conversation actual)
    {
        Assert.Equal(expected.Metadata.ToArray(), actual.Metadata.ToArray());
        Assert.Equal(expected with { Metadata = actual.Metadata }, actual);
    }

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
