using Conversations.Core.Conversations;
using Conversations.Core.Responses;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>Folds a turn's events into a Responses stream, as the host will, and reads it back as a client would.</summary>
internal static class StreamRun
{
    public static List<ResponseStreamEvent> Fold(ResponseRecord start, IEnumerable<TurnEvent> turn, Func<ResponseStreamState, ResponseStreamStep> end)
    {
        var step = ResponseStream.Start(start);
        var events = new List<ResponseStreamEvent>(step.Events);
        var state = step.State;
        foreach (var turnEvent in turn)
        {
            step = ResponseStream.Step(state, turnEvent);
            events.AddRange(step.Events);
            state = step.State;
        }

        events.AddRange(end(state).Events);
        return events;
    }

    public static List<ResponseStreamEvent> Finished(ResponseRecord start, IEnumerable<TurnEvent> turn, ResponseRecord final) =>
        Fold(start, turn, state => ResponseStream.Finish(state, final));

    public static string[] Types(IEnumerable<ResponseStreamEvent> events) => [.. events.Select(e => e.EventType)];

    public static string JsonOf(ResponseStreamEvent e) => System.Text.Encoding.UTF8.GetString(WireJson.Serialize(e));

    /// <summary>The events as an SSE body: <c>event:</c> and <c>data:</c> lines, as OpenAI writes them.</summary>
    public static string Sse(IEnumerable<ResponseStreamEvent> events) =>
        string.Concat(events.Select(e => $"event: {e.EventType}\ndata: {JsonOf(e)}\n\n"));

    public static void IsSound(IReadOnlyList<ResponseStreamEvent> events)
    {
        var broken = NodeStreamRules.Check(events);
        Assert.True(broken.Count == 0, "The stream breaks the SDKs' rules:\n" + string.Join("\n", broken) + "\n\n" + Sse(events));
    }
}
