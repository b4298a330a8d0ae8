using Conversations.Core.Errors;
using Conversations.Core.Idempotency;

namespace Conversations.Core.Tests.Idempotency;

/// <summary>
/// The idempotency key rules, given what happened to a key (claims, successes, releases at explicit
/// times), when a request arrives with it, then run, replay or refuse.
/// </summary>
public sealed class IdempotencyRulesTests
{
    private const string First = "hash-of-the-first-request";
    private const string Different = "hash-of-a-different-request";
    private const string Reply = "msg_first_reply";

    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly KeyDecision<string> Run = new KeyDecision<string>.Run();
    private static readonly KeyDecision<string> InUse = new KeyDecision<string>.Refused(new KeyRefusal.InUse());
    private static readonly KeyDecision<string> Reused = new KeyDecision<string>.Refused(new KeyRefusal.Reused());

    private static KeyDecision<string> Replay(string result) => new KeyDecision<string>.Replay(result);

    private static Key Given => new(null);

    [Fact]
    public void A_key_never_seen_runs_its_request_and_is_held_from_then()
    {
        var (decision, remembered) = IdempotencyRules.Claim<string>(null, First, T0);

        Assert.Equal(Run, decision);
        Assert.Equal(new KeyRecord<string>.Running(First, T0), remembered);
    }

    [Fact]
    public void The_same_request_while_the_first_runs_is_refused_as_in_use()
    {
        Assert.Equal(InUse, Given.Claimed(First, T0).When(First, T0.AddSeconds(2)));
    }

    [Fact]
    public void A_different_request_while_the_first_runs_is_refused_as_reused()
    {
        Assert.Equal(Reused, Given.Claimed(First, T0).When(Different, T0.AddSeconds(2)));
    }

    [Fact]
    public void A_refused_claim_leaves_the_running_request_holding_the_key()
    {
        var running = Given.Claimed(First, T0);

        var (decision, remembered) = IdempotencyRules.Claim(running.Remembered, First, T0.AddSeconds(2));

        Assert.Equal(InUse, decision);
        Assert.Equal(running.Remembered, remembered);
    }

    [Fact]
    public void A_request_still_running_after_thirty_minutes_is_abandoned_and_the_key_taken_over()
    {
        var running = Given.Claimed(First, T0);

        Assert.Equal(InUse, running.When(First, T0 + TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1)));
        Assert.Equal(Reused, running.When(Different, T0 + TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1)));
        Assert.Equal(Run, running.When(First, T0 + TimeSpan.FromMinutes(30)));
        Assert.Equal(Run, running.When(Different, T0 + TimeSpan.FromMinutes(30)));

        var takenOver = running.Claimed(Different, T0.AddMinutes(31));
        Assert.Equal(new KeyRecord<string>.Running(Different, T0.AddMinutes(31)), takenOver.Remembered);
        Assert.Equal(InUse, takenOver.When(Different, T0.AddMinutes(32)));
    }

    [Fact]
    public void The_same_request_after_a_success_replays_its_result_for_24_hours()
    {
        var done = Given.Claimed(First, T0).Completed(First, Reply, T0.AddSeconds(3));

        Assert.Equal(Replay(Reply), done.When(First, T0.AddSeconds(4)));
        Assert.Equal(Replay(Reply), done.When(First, T0.AddSeconds(3) + TimeSpan.FromHours(24) - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void A_different_request_after_a_success_is_refused_as_reused_for_24_hours()
    {
        var done = Given.Claimed(First, T0).Completed(First, Reply, T0.AddSeconds(3));

        Assert.Equal(Reused, done.When(Different, T0.AddSeconds(4)));
        Assert.Equal(Reused, done.When(Different, T0.AddSeconds(3) + TimeSpan.FromHours(24) - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Twenty_four_hours_after_the_success_the_key_is_fresh_again()
    {
        var done = Given.Claimed(First, T0).Completed(First, Reply, T0.AddSeconds(3));
        var expiry = T0.AddSeconds(3) + TimeSpan.FromHours(24);

        Assert.Equal(Run, done.When(First, expiry));
        Assert.Equal(Run, done.When(Different, expiry));
        Assert.Equal(new KeyRecord<string>.Running(Different, expiry), done.Claimed(Different, expiry).Remembered);
    }

    [Fact]
    public void A_success_is_not_abandoned_after_thirty_minutes()
    {
        var done = Given.Claimed(First, T0).Completed(First, Reply, T0.AddSeconds(3));

        Assert.Equal(Replay(Reply), done.When(First, T0.AddHours(2)));
    }

    [Fact]
    public void A_released_key_lets_the_retry_run()
    {
        var failed = Given.Claimed(First, T0).Released(First);

        Assert.Null(failed.Remembered);
        Assert.Equal(Run, failed.When(First, T0.AddSeconds(1)));
    }

    [Fact]
    public void Releasing_for_another_request_or_after_a_success_forgets_nothing()
    {
        var running = Given.Claimed(First, T0);
        var done = running.Completed(First, Reply, T0.AddSeconds(3));

        Assert.Equal(running.Remembered, running.Released(Different).Remembered);
        Assert.Equal(InUse, running.Released(Different).When(First, T0.AddSeconds(4)));
        Assert.Equal(done.Remembered, done.Released(First).Remembered);
        Assert.Equal(Replay(Reply), done.Released(First).When(First, T0.AddSeconds(4)));
    }

    [Fact]
    public void Records_are_forgotten_after_the_window_or_when_abandoned_and_not_before()
    {
        var running = new KeyRecord<string>.Running(First, T0);
        var done = new KeyRecord<string>.Completed(First, Reply, T0);

        Assert.False(IdempotencyRules.Forgotten(running, T0.AddMinutes(29)));
        Assert.True(IdempotencyRules.Forgotten(running, T0.AddMinutes(30)));
        Assert.False(IdempotencyRules.Forgotten(done, T0.AddHours(23)));
        Assert.True(IdempotencyRules.Forgotten(done, T0.AddHours(24)));
    }

    [Fact]
    public void Refusals_are_answered_with_openais_statuses_and_codes()
    {
        var reused = ApiErrors.From(new KeyRefusal.Reused());
        var inUse = ApiErrors.From(new KeyRefusal.InUse());

        Assert.Equal((422, "idempotency_key_reused", "Idempotency-Key"), (reused.Status, reused.Code, reused.Param));
        Assert.Equal((409, "idempotency_key_in_use", "Idempotency-Key"), (inUse.Status, inUse.Code, inUse.Param));
    }

    /// <summary>What is remembered of one key after the events so far; <see cref="When"/> asks about the next request.</summary>
    private sealed record Key(KeyRecord<string>? Remembered)
    {
        public Key Claimed(string requestHash, DateTimeOffset at) => new(IdempotencyRules.Claim(Remembered, requestHash, at).Remembered);

        public Key Completed(string requestHash, string result, DateTimeOffset at) => new(IdempotencyRules.Complete(requestHash, result, at));

        public Key Released(string requestHash) => new(IdempotencyRules.Release(Remembered, requestHash));

        public KeyDecision<string> When(string requestHash, DateTimeOffset at) => IdempotencyRules.Decide(Remembered, requestHash, at);
    }
}
