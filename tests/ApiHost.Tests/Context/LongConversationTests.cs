using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.ApiHost.Tests.Responses;

namespace Conversations.ApiHost.Tests.Context;

/// <summary>
/// A conversation that grows far past its model's window keeps answering with <c>truncation: "auto"</c>, and
/// with <c>disabled</c> is refused with OpenAI's 400 before the upstream is called. Its history is filled
/// through the items API (as many items as 2,000 turns leave), with real turns of every kind along the way.
/// </summary>
public sealed class LongConversationTests(ContextHostFixture fixture) : IClassFixture<ContextHostFixture>
{
    private const int Turns = 2000;
    private const int TurnsBetweenAnswers = 200;

    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_conversation_of_two_thousand_turns_keeps_answering_with_auto_and_is_refused_without_an_upstream_call_with_disabled()
    {
        var marker = Guid.NewGuid().ToString("N");
        var conversation = await _client.CreateConversation($$$"""{"settings":{"model":"{{{ContextHostFixture.Model}}}","instructions":"Be brief.","truncation":"auto"}}""");
        var answered = 0;
        for (var turn = 0; turn < Turns; turn += 10)
        {
            // Ten turns' worth of items per call, the most the items API takes at once.
            var items = Enumerable.Range(turn, 10).SelectMany(t => new[]
            {
                new { type = "message", role = "user", content = $"Question {t} {marker}: what comes after {t}?" },
                new { type = "message", role = "assistant", content = $"After {t} comes {t + 1}." },
            });
            using var appended = await _client.PostAsync($"/v1/conversations/{conversation}/items", Api.Json(JsonSerializer.Serialize(new { items })));
            Assert.Equal(HttpStatusCode.OK, appended.StatusCode);

            if ((turn + 10) % TurnsBetweenAnswers == 0)
            {
                await Answer(conversation, answered++, turn + 10);
            }
        }

        Assert.Equal(Turns / TurnsBetweenAnswers, answered);
        Assert.Equal(0, fixture.Upstream.ContextRefusals);
        var lastSent = fixture.Upstream.Mentioning(marker)[^1].Messages();
        Assert.Equal("system: Be brief.", lastSent[0]);
        Assert.DoesNotContain(lastSent, line => line.StartsWith($"user: Question 0 ", StringComparison.Ordinal));
        // Nothing was dropped from the history: the oldest item is still the first listed.
        var oldest = (await _client.Items(conversation, "order=asc&limit=1")).GetProperty("data")[0];
        Assert.StartsWith("Question 0 ", oldest.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        using var disabled = await _client.PostAsync($"/v1/conversations/{conversation}", Api.Json("""{"settings":{"truncation":"disabled"}}"""));
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal("disabled", (await disabled.ReadJson()).GetProperty("settings").GetProperty("truncation").GetString());
        var before = fixture.Upstream.ChatRequests.Count;

        using var refused = await _client.SendMessage(conversation, "And now?");
        using var refusedResponse = await _client.PostResponse($$"""{"conversation":"{{conversation}}","input":"And now?"}""");
        using var refusedStream = await _client.PostResponse($$"""{"conversation":"{{conversation}}","input":"And now?","stream":true}""");

        foreach (var response in new[] { refused, refusedResponse, refusedStream })
        {
            var error = await response.AssertError(HttpStatusCode.BadRequest, "context_length_exceeded");
            Assert.Equal(("input", "invalid_request_error"), (error.GetProperty("param").GetString(), error.GetProperty("type").GetString()));
            Assert.Matches(@"^The input has \d+ tokens, but only 1500 fit: the model's context window is 2000 tokens", error.GetProperty("message").GetString());
        }

        Assert.Equal(before, fixture.Upstream.ChatRequests.Count);

        // The request's own truncation wins over the conversation's.
        var auto = await _client.CreateResponse($$"""{"conversation":"{{conversation}}","input":"Say still here {{marker}}","truncation":"auto"}""");
        Assert.Equal("auto", auto.GetProperty("truncation").GetString());
        Assert.Equal($"Still here {marker}", auto.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        // Its input items are exactly what the model saw: the messages sent, but the instructions, in order.
        var sent = fixture.Upstream.Mentioning(marker)[^1].Messages();
        using var listed = await _client.GetAsync($"/v1/responses/{auto.GetProperty("id").GetString()}/input_items?order=asc&limit=100");
        var seen = (await listed.ReadJson()).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(sent.Skip(1), seen.Select(item => $"{item.GetProperty("role").GetString()}: {item.GetProperty("content")[0].GetProperty("text").GetString()}"));
        Assert.True(seen.Count < 2 * Turns, "every item was listed");
    }

    /// <summary>One real turn, of each kind in turn: a /messages turn, a response on the conversation, a streamed one.</summary>
    private async Task Answer(string conversation, int answer, int turnsSoFar)
    {
        var text = $"Say turn {turnsSoFar}";
        switch (answer % 3)
        {
            case 0:
                var completion = await _client.Turn(conversation, text);
                Assert.Equal($"Turn {turnsSoFar}", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
                break;
            case 1:
                var response = await _client.CreateResponse($$"""{"conversation":"{{conversation}}","input":"{{text}}"}""");
                Assert.Equal("auto", response.GetProperty("truncation").GetString());
                Assert.Equal("completed", response.GetProperty("status").GetString());
                break;
            default:
                var events = await _client.StreamResponse($$"""{"conversation":"{{conversation}}","input":"{{text}}","stream":true}""");
                Assert.Equal("response.completed", events[^1].Type);
                break;
        }
    }
}
