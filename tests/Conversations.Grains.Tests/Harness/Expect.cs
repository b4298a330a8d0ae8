using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using OneOf;

namespace Conversations.Grains.Tests.Harness;

internal static class Expect
{
    public static T Ok<T, TError>(OneOf<T, TError> result)
    {
        Assert.True(result.IsT0, $"Expected success, got {result.Value}");
        return result.AsT0;
    }

    public static TError Failure<T, TError>(OneOf<T, TError> result)
    {
        Assert.True(result.IsT1, $"Expected a failure, got {result.Value}");
        return result.AsT1;
    }

    /// <summary>The failure, which must be of case <typeparamref name="TCase"/>.</summary>
    public static TCase Failure<T, TError, TCase>(OneOf<T, TError> result) where TCase : TError =>
        Assert.IsType<TCase>(Failure(result));

    public static void NotFound<T>(OneOf<T, ConversationError> result) =>
        Assert.Equal(ConversationError.NotFoundError, Failure(result));

    public static void Busy<T>(OneOf<T, ConversationError> result) =>
        Assert.Equal(ConversationError.BusyError, Failure(result));

    /// <summary>Records compare their metadata dictionaries by reference; compare it by content and the rest by value.</summary>
    public static void SameConversation(Conversation expected, Conversation actual)
    {
        Assert.Equal(expected.Metadata.ToArray(), actual.Metadata.ToArray());
        Assert.Equal(expected with { Metadata = actual.Metadata }, actual);
    }

    /// <summary>Element by element (an <see cref="ImmutableArray{T}"/>'s own equality compares array references).</summary>
    public static void SameItems(IEnumerable<Item> expected, IEnumerable<Item> actual) =>
        Assert.Equal(expected.ToList(), actual.ToList());

    /// <summary>A turn refused outright comes as a single <see cref="TurnEvent.Failed"/>.</summary>
    public static ConversationError RefusedStream(IReadOnlyList<TurnEvent> events)
    {
        var failed = Assert.IsType<TurnEvent.Failed>(Assert.Single(events));
        return failed.Error;
    }
}
