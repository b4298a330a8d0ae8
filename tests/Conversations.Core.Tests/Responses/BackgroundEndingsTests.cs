using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using static Conversations.Core.Tests.Wire.Responses.ResponseSamples;

namespace Conversations.Core.Tests.Responses;

/// <summary>How a response run in the background ends when it does not finish on its own: cancelled by its owner, or lost with its silo.</summary>
public class BackgroundEndingsTests
{
    [Fact]
    public void A_cancelled_response_keeps_what_arrived_and_says_cancelled_rather_than_incomplete()
    {
        var kept = Started(background: true) with { Status = ResponseStatus.Incomplete, Output = [AssistantText("Once up", status: ItemStatus.Incomplete)] };

        var cancelled = TurnResponses.Cancelled(kept);

        Assert.Equal(ResponseStatus.Cancelled, cancelled.Status);
        Assert.Equal(kept.Output, cancelled.Output);
        Assert.Null(cancelled.CompletedAt);
        Assert.Null(cancelled.IncompleteReason);
        Assert.False(TurnResponses.IsRunning(cancelled));
    }

    [Fact]
    public void A_response_lost_with_its_silo_ends_failed_with_what_was_stored_and_a_server_error()
    {
        var stored = Started(background: true) with { Output = [UserText("kept")] };

        var lost = TurnResponses.Lost(stored);

        Assert.True(TurnResponses.IsRunning(stored));
        Assert.Equal(ResponseStatus.Failed, lost.Status);
        Assert.Equal(stored.Output, lost.Output);
        Assert.Equal("server_error", lost.Error?.Code);
        Assert.False(TurnResponses.IsRunning(lost));
    }

    [Theory]
    [InlineData(ApiErrors.BackgroundLimit, "background responses: at most 2")]
    [InlineData("streams", "concurrent streams: at most 2")]
    public void A_limit_on_running_things_is_a_429_naming_it_with_a_second_to_wait(string limit, string says)
    {
        var error = ApiErrors.From(new ConversationError.LimitReached(limit, 2), "conv_x");

        Assert.Equal(429, error.Status);
        Assert.Equal(limit, error.Type);
        Assert.Equal("rate_limit_exceeded", error.Code);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }
}
