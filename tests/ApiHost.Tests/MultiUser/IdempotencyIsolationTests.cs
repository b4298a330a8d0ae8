using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>An <c>Idempotency-Key</c> is the caller's own: another user sending the same key and body gets their own answer.</summary>
public sealed class IdempotencyIsolationTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>
{
    private const string Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say only mine"}]}""";

    private readonly RunningApiHost _host = fixture.Host;
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    [Fact]
    public async Task The_same_key_and_body_from_another_user_is_a_new_call_not_a_replay_of_the_first_users_answer()
    {
        var alice = _host.Client((await _admin.NewUser("idem-alice")).Key);
        var bob = _host.Client((await _admin.NewUser("idem-bob")).Key);
        var key = $"shared-{Guid.NewGuid():N}";
        var upstreamBefore = _upstream.ChatRequests.Count;

        var alicesFirst = await Call(alice, key);
        var alicesRepeat = await Call(alice, key);
        var bobs = await Call(bob, key);

        // Alice's repeat is her first answer again, without a second upstream call; Bob's is a call of his own.
        Assert.Equal(alicesFirst, alicesRepeat);
        Assert.NotEqual(alicesFirst, bobs);
        Assert.Equal(upstreamBefore + 2, _upstream.ChatRequests.Count);
        Assert.Equal(1, (await Eventually.Within(() => bob.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() == 1, TimeSpan.FromSeconds(5)))
            .GetProperty("total").GetProperty("requests").GetInt64());
    }

    /// <summary>Calls with an <c>Idempotency-Key</c>; answers the completion's id, which differs for every upstream call.</summary>
    private static async Task<string> Call(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Api.Json(Body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the call answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("id").GetString()!;
    }
}
