using Conversations.Testing.Polling;
using System.Collections.Immutable;
using Conversations.Abstractions.Idempotency;
using Conversations.Abstractions.Storage;
using Conversations.Core.Idempotency;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Idempotency;

/// <summary>
/// A stateless call's key, through the cluster: claimed, refused while it runs, kept with its response
/// (which outlives the activation), or released for a retry.
/// </summary>
[Collection(UserCollection.Name)]
public sealed class IdempotencyGrainTests(GrainCluster cluster)
{
    private const string Request = "hash-of-the-request";
    private const string Other = "hash-of-another-request";

    private static readonly StoredResponse Answer = new(
        200, "application/json", ImmutableSortedDictionary<string, string>.Empty.Add("x-request-id", "req_kept"), "{\"id\":\"chatcmpl-kept\"}"u8.ToArray());

    private IIdempotencyGrain NewKey() =>
        cluster.Grain<IIdempotencyGrain>(IIdempotencyGrain.KeyFor($"user_{Guid.NewGuid():N}", $"key-{Guid.NewGuid():N}"));

    [Fact]
    public async Task A_key_runs_once_and_is_refused_while_its_request_runs()
    {
        var key = NewKey();

        Assert.IsType<KeyDecision<StoredResponse>.Run>(await key.Claim(Request));
        Assert.Equal(new KeyRefusal.InUse(), Assert.IsType<KeyDecision<StoredResponse>.Refused>(await key.Claim(Request)).Refusal);
        Assert.Equal(new KeyRefusal.Reused(), Assert.IsType<KeyDecision<StoredResponse>.Refused>(await key.Claim(Other)).Refusal);
    }

    [Fact]
    public async Task A_kept_response_is_replayed_even_by_a_fresh_activation()
    {
        var key = NewKey();
        Assert.IsType<KeyDecision<StoredResponse>.Run>(await key.Claim(Request));
        await key.Complete(Request, Answer);
        await cluster.DeactivateAsync(key);

        var replayed = Assert.IsType<KeyDecision<StoredResponse>.Replay>(await key.Claim(Request));

        Assert.Equal((Answer.Status, Answer.ContentType), (replayed.Result.Status, replayed.Result.ContentType));
        Assert.Equal(Answer.Headers, replayed.Result.Headers);
        Assert.Equal(Answer.Body, replayed.Result.Body);
        Assert.Equal(new KeyRefusal.Reused(), Assert.IsType<KeyDecision<StoredResponse>.Refused>(await key.Claim(Other)).Refusal);
    }

    [Fact]
    public async Task A_released_key_lets_the_retry_run()
    {
        var key = NewKey();
        Assert.IsType<KeyDecision<StoredResponse>.Run>(await key.Claim(Request));

        await key.Release(Request);

        // Release is one-way: the retry may arrive first, and is then refused until it lands.
        var retried = await Eventually.Holds(() => key.Claim(Request), decision => decision is KeyDecision<StoredResponse>.Run, what: "The released key running the retry");
        Assert.IsType<KeyDecision<StoredResponse>.Run>(retried);
    }
}
