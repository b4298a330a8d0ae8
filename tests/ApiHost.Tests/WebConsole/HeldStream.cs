using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>
/// A streamed reply that sends its first words and then waits until the test releases the rest, so a test can
/// look at the page while the reply is half written.
/// </summary>
public sealed class HeldStream
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="before">The words sent at once (whole words: the stream is cut into words).</param>
    /// <param name="after">The rest, sent once released, starting with a space.</param>
    public FakeResponse Reply(string before, string after) => FakeResponse.Handle(async (context, request) =>
    {
        var events = FakeReplies.StreamEvents(
            $"chatcmpl-FakeHeld{request.Number:D24}", FakeReplies.FixedCreated, "gpt-4o-mini", before + after, includeUsage: true, FakeReplies.UsageOf(5, before + after)).ToList();
        var sentFirst = 1 + FakeReplies.Pieces(before).Count;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        for (var i = 0; i < events.Count; i++)
        {
            if (i == sentFirst)
            {
                await _released.Task.WaitAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync($"data: {events[i]}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    });

    public void Release() => _released.TrySetResult();
}
