using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Users;
using OneOf;

namespace Conversations.ApiHost.Limits;

/// <summary>
/// A user's concurrent streams, on every route that streams: a slot is taken before the stream starts
/// and given back however it ends.
/// </summary>
public static class StreamSlots
{
    public static async Task<OneOf<StreamLease.Granted, ErrorResult>> Take(IUserGrain user) =>
        await user.AcquireStream() switch
        {
            StreamLease.Granted granted => granted,
            StreamLease.Refused refused => Problems.Of(TooMany(refused.Limit)),
            var lease => throw new ArgumentOutOfRangeException(nameof(user), lease, "Unknown stream lease."),
        };

    /// <summary>The stream, giving its slot back when it ends (or when it is never enumerated to the end).</summary>
    public static async IAsyncEnumerable<SseItem<T>> Holding<T>(
        IAsyncEnumerable<SseItem<T>> events,
        IUserGrain user,
        StreamLease.Granted lease,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
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
            await user.ReleaseStream(lease.LeaseId);
        }
    }

    private static ApiError TooMany(int limit) =>
        new(429, "streams", "rate_limit_exceeded",
            $"Rate limit reached for concurrent streams: at most {limit} at once. Wait for one to finish.", null, TimeSpan.FromSeconds(1));
}
