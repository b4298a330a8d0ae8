using Conversations.Abstractions.Idempotency;
using Conversations.Abstractions.Storage;
using Conversations.Core.Requests;

namespace Conversations.Grains.Idempotency;

public sealed class IdempotencyGrain(IIdempotencyStore store, TimeProvider clock) : Grain, IIdempotencyGrain
{
    /// <summary>A running claim older than this is presumed abandoned (its host died) and may be taken over.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(30);

    private IdempotencyRecord? _completed;
    private (string RequestHash, DateTimeOffset Since)? _running;

    private string UserId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string Key => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _completed = await store.GetAsync(UserId, Key, clock.GetUtcNow(), cancellationToken);

    public Task<IdempotencyClaim> Claim(string requestHash)
    {
        var now = clock.GetUtcNow();
        if (_completed is { } completed && completed.ExpiresAt > now)
        {
            return Task.FromResult(completed.RequestHash == requestHash
                ? new IdempotencyClaim(ClaimOutcome.Replay, completed.Response)
                : new IdempotencyClaim(ClaimOutcome.Reused, null));
        }

        if (_running is { } running && now - running.Since < AbandonedAfter)
        {
            return Task.FromResult(new IdempotencyClaim(running.RequestHash == requestHash ? ClaimOutcome.InUse : ClaimOutcome.Reused, null));
        }

        _completed = null;
        _running = (requestHash, now);
        return Task.FromResult(new IdempotencyClaim(ClaimOutcome.Proceed, null));
    }

    public async Task Complete(string requestHash, StoredResponse response)
    {
        var now = clock.GetUtcNow();
        var record = new IdempotencyRecord(UserId, Key, requestHash, response, now, now + IdempotencyKey.Window);
        await store.PutAsync(record);
        _completed = record;
        _running = null;
        // The response is in the store; holding it in memory too would let unique keys pile up bodies.
        DeactivateOnIdle();
    }

    public Task Release(string requestHash)
    {
        if (_running?.RequestHash == requestHash)
        {
            _running = null;
        }

        return Task.CompletedTask;
    }
}
