using System.Diagnostics.Metrics;
using Conversations.Abstractions.Grains;
using Conversations.Core.Requests;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.Polling;

namespace Conversations.Grains.Tests.Users;

/// <summary>An operator's dashboard sees every upstream request and its tokens, from the metrics the service publishes.</summary>
[Collection(ConversationCollection.Name)]
public sealed class UsageMetricsTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_turn_is_counted_as_one_upstream_request_with_its_tokens()
    {
        var owner = $"user_metrics{Guid.NewGuid():N}";
        var grain = cluster.Grain<IConversationGrain>($"conv_{Guid.NewGuid():N}");
        await grain.Create(owner, new CreateConversation(System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, SettingsPatch.None, []));
        long requests = 0, prompt = 0, completion = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == UsageMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "conversations.upstream.requests")
            {
                Interlocked.Add(ref requests, value);
            }
            else if (tags.ToArray().Any(t => t.Key == "kind" && (string?)t.Value == "prompt"))
            {
                Interlocked.Add(ref prompt, value);
            }
            else
            {
                Interlocked.Add(ref completion, value);
            }
        });
        listener.Start();

        var turn = await grain.Send(owner, Requests.Send("Say measured"));

        var reply = turn.AsT0.Reply;
        // The counts are recorded by the owner's grain, told of the turn without waiting, one instrument
        // after another: poll briefly for all of them.
        await Eventually.Within(
            () => Task.FromResult((Requests: Interlocked.Read(ref requests), Prompt: Interlocked.Read(ref prompt), Completion: Interlocked.Read(ref completion))),
            counted => counted.Requests >= 1 && counted.Prompt >= reply.Usage.PromptTokens && counted.Completion >= reply.Usage.CompletionTokens,
            TimeSpan.FromSeconds(5));

        Assert.True(Interlocked.Read(ref requests) >= 1);
        Assert.True(Interlocked.Read(ref prompt) >= reply.Usage.PromptTokens);
        Assert.True(Interlocked.Read(ref completion) >= reply.Usage.CompletionTokens);
    }
}
