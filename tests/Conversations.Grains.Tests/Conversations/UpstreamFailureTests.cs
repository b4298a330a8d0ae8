using Conversations.Core.Messages;
using Conversations.Core.Conversations;
using Conversations.Abstractions.Grains;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Upstream;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Grains.Tests.Conversations;

/// <summary>A turn the upstream refuses comes back as a typed error and leaves the conversation exactly as it was.</summary>
[Collection(ConversationCollection.Name)]
public sealed class UpstreamFailureTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_bad_request_comes_back_with_the_upstreams_message_and_param()
    {
        var refused = await RefusedTurn(
            [FakeResponse.OpenAiError(400, "Invalid 'max_tokens': integer below minimum value.", "invalid_request_error", "integer_below_min_value", "max_tokens")],
            expectedAttempts: 1);

        var badRequest = Assert.IsType<UpstreamError.BadRequest>(refused);
        Assert.Equal(("Invalid 'max_tokens': integer below minimum value.", "max_tokens", "integer_below_min_value"), (badRequest.Message, badRequest.Param, badRequest.Code));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_then_reported()
    {
        var serverError = FakeResponse.OpenAiError(500, "The server had an error while processing your request.", "server_error");

        var refused = await RefusedTurn([serverError, serverError, serverError], expectedAttempts: 3);

        var failure = Assert.IsType<UpstreamError.ServerError>(refused);
        Assert.Equal(500, failure.Status);
        Assert.Equal("The server had an error while processing your request.", failure.Message);
    }

    [Fact]
    public async Task A_rate_limit_asking_for_a_long_wait_comes_back_with_that_wait()
    {
        var refused = await RefusedTurn([FakeResponse.RateLimited(retryAfter: "20")], expectedAttempts: 1);

        var rateLimited = Assert.IsType<UpstreamError.RateLimited>(refused);
        Assert.Equal(TimeSpan.FromSeconds(20), rateLimited.RetryAfter);
    }

    [Fact]
    public async Task A_stream_refused_before_it_starts_is_a_single_failure_and_stores_nothing()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(items: [Requests.Item(MessageRole.User, $"seed {marker}")])));
        cluster.Fake.Enqueue(FakeResponse.OpenAiError(401, "Incorrect API key provided: sk-proj-****6789.", "invalid_request_error", "invalid_api_key"));

        var events = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream("Say hello")));

        var upstream = Assert.IsType<ConversationError.Upstream>(Expect.RefusedStream(events));
        var unauthorized = Assert.IsType<UpstreamError.Unauthorized>(upstream.Error);
        Assert.DoesNotContain("sk-proj", unauthorized.Message, StringComparison.Ordinal);
        await AssertUnchangedThenWorks(grain, owner, marker, created.Usage, 1);
    }

    /// <summary>Sends one turn the upstream refuses with <paramref name="script"/>; returns the upstream error after checking nothing changed.</summary>
    private async Task<UpstreamError> RefusedTurn(FakeResponse[] script, int expectedAttempts)
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(items: [Requests.Item(MessageRole.User, $"seed {marker}")])));
        cluster.Fake.Enqueue(script);

        var result = await grain.Send(owner, Requests.Send("Say hello"));

        var upstream = Expect.Failure<Core.Responses.ResponseRecord, ConversationError, ConversationError.Upstream>(result);
        var attempts = cluster.Fake.Mentioning(marker);
        Assert.Equal(expectedAttempts, attempts.Count);
        // Retries of one turn are one request to the upstream, under one idempotency key.
        Assert.Single(attempts.Select(a => a.Header("Idempotency-Key")).Distinct());
        await AssertUnchangedThenWorks(grain, owner, marker, created.Usage, expectedAttempts);
        return upstream.Error;
    }

    /// <summary>The history and usage are as before the failed turn, and the next turn works without the failed message in its history.</summary>
    private async Task AssertUnchangedThenWorks(IConversationGrain grain, string owner, string marker, Core.Conversations.ConversationUsage usageBefore, int failedAttempts)
    {
        var id = grain.GetPrimaryKeyString();
        Assert.Equal([$"seed {marker}"], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(m => m.Content));
        Assert.Equal(usageBefore, Expect.Ok(await grain.Get(owner)).Usage);
        var stored = await cluster.ConversationStore.LoadAsync(id);
        Assert.Equal([$"seed {marker}"], stored!.Items.Select(m => m.Content));

        var next = Expect.Ok(await grain.Send(owner, Requests.Send("Say it works now")));

        Assert.Equal("It works now", next.Reply.Content);
        Assert.Equal([2L, 3], new[] { next.UserMessage.Sequence, next.Reply.Sequence });
        var requests = cluster.Fake.Mentioning(marker);
        Assert.Equal(failedAttempts + 1, requests.Count);
        Assert.Equal([("user", $"seed {marker}"), ("user", "Say it works now")], requests[^1].Messages());
    }
}
