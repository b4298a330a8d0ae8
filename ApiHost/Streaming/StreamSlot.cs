using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Users;
using OneOf;

namespace Conversations.ApiHost.Streaming;

/// <summary>
/// A user's place among their concurrent streams, on every route that streams. It is taken before the
/// stream starts and given back exactly once, however things end: when the stream ends (whole, failed,
/// or the client gone); when the response ends, if the stream was handed over but never read; or when
/// the scope ends, if the request was answered without a stream. Hold it with <c>await using</c> and
/// hand it over with <see cref="ServerEvents.Stream"/>.
/// </summary>
public sealed class StreamSlot : IAsyncDisposable
{
    private readonly IUserGrain _user;
    private readonly string _leaseId;
    private bool _handedOver;
    private int _givenBack;

    private StreamSlot(IUserGrain user, string leaseId)
    {
        _user = user;
        _leaseId = leaseId;
    }

    /// <summary>The slot, or the 429 saying the user has all their streams open. (The one place that reads a lease.)</summary>
    public static async Task<OneOf<StreamSlot, ErrorResult>> Take(IUserGrain user) =>
        await user.AcquireStream() switch
        {
            StreamLease.Granted granted => new StreamSlot(user, granted.LeaseId),
            StreamLease.Refused refused => Problems.Of(TooMany(refused.Limit)),
            var lease => throw new ArgumentOutOfRangeException(nameof(user), lease, "Unknown stream lease."),
        };

    /// <summary>Gives the slot back unless a stream holds it now.</summary>
    public ValueTask DisposeAsync() => _handedOver ? ValueTask.CompletedTask : new ValueTask(GiveBack());

    /// <summary>The stream, holding the slot until it ends, or until the response ends if it is never read.</summary>
    internal IAsyncEnumerable<SseItem<byte[]>> Holding(IAsyncEnumerable<SseItem<byte[]>> events, HttpResponse response)
    {
        _handedOver = true;
        response.OnCompleted(static slot => ((StreamSlot)slot).GiveBack(), this);
        return Hold(events);
    }

    private async IAsyncEnumerable<SseItem<byte[]>> Hold(
        IAsyncEnumerable<SseItem<byte[]>> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var item in events.WithCancellation(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            await GiveBack();
        }
    }

    private Task GiveBack() =>
        Interlocked.Exchange(ref _givenBack, 1) == 0 ? _user.ReleaseStream(_leaseId) : Task.CompletedTask;

    private static ApiError TooMany(int limit) => ApiErrors.LimitReached(new ConversationError.LimitReached("streams", limit));
}
