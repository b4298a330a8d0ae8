using Conversations.Abstractions.Idempotency;
using Conversations.Abstractions.Storage;
using Conversations.Core.Idempotency;
using Conversations.Core.Requests;

namespace Conversations.Grains.Idempotency;

/// <summary>Holds what is remembered of one key; <see cref="IdempotencyRules"/> decides.</summary>
public sealed class IdempotencyGrain(IIdempotencyStore store, TimeProvider clock) : Grain, IIdempotencyGrain
{
    private KeyRecord<StoredResponse>? _remembered;

    private string UserId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string Key => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only successes are stored: a running request's hold lives and dies with the activation.
        var stored = await store.GetAsync(UserId, Key, clock.GetUtcNow(), cancellationToken);
        _remembered = stored is null ? null : IdempotencyRules.Complete(stored.RequestHash, stored.Response, stored.CreatedAt);
    }

    public Task<KeyDecision<StoredResponse>> Claim(string requestHash)
    {
        (var decision, _remembered) = IdempotencyRules.Claim(_remembered, requestHash, clock.GetUtcNow());
        return Task.FromResult(decision);
    }

    public async Task Complete(string requestHash, StoredResponse response)
    {
        var now = clock.GetUtcNow();
        await store.PutAsync(new IdempotencyRecord(UserId, Key, requestHash, response, now, now + IdempotencyKey.Window));
        _remembered = IdempotencyRules.Complete(requestHash, response, now);
        // The response is in the store; holding it in memory too would let unique keys pile up bodies.
        DeactivateOnIdle();
    }

    public Task Release(string requestHash)
    {
        _remembered = IdempotencyRules.Release(_remembered, requestHash);
        return Task.CompletedTask;
    }
}
