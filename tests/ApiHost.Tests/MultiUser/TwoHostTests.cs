using System.Diagnostics;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>Keys and limits are the cluster's, not a host's: a revoke and a limit hold on every host.</summary>
public sealed class TwoHostTests(TwoHostsFixture fixture) : IClassFixture<TwoHostsFixture>
{
    private readonly RunningApiHost _a = fixture.A;
    private readonly RunningApiHost _b = fixture.B;

    [Fact]
    public async Task Both_hosts_serve_the_same_users_and_conversations()
    {
        var user = await _a.Client(TestKeys.Admin).NewUser("everywhere");
        var id = await _a.Client(user.Key).CreateConversation();
        await _a.Client(user.Key).Turn(id, "Say from a");

        await _b.Client(user.Key).Turn(id, "Say from b");

        var texts = (await _a.Client(user.Key).Items(id)).GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(["Say from a", "From a", "Say from b", "From b"], texts);
        // Users made on one host are managed from the other.
        var listedOnB = await (await _b.Client(TestKeys.Admin).GetAsync("/v1/admin/users")).ReadJson();
        Assert.Contains(listedOnB.GetProperty("data").EnumerateArray(), u => u.GetProperty("id").GetString() == user.Id);
    }

    [Fact]
    public async Task A_key_revoked_on_one_host_gets_401_on_the_other_within_a_second()
    {
        var user = await _a.Client(TestKeys.Admin).NewUser("revoked-across-hosts");
        var onB = _b.Client(user.Key);
        // Host B has answered for this key, so it holds the answer in its cache.
        using (var before = await onB.GetAsync("/v1/conversations"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _a.Client(TestKeys.Admin).RevokeKey(user.KeyId);
        var sinceRevoke = Stopwatch.StartNew();

        var status = await Eventually.Within(
            async () => { using var r = await onB.GetAsync("/v1/conversations"); return r.StatusCode; },
            s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1));
        Assert.True(status == HttpStatusCode.Unauthorized, $"host B still answered {(int)status} for the revoked key {sinceRevoke.Elapsed} after the revoke");
        await (await onB.PostAsync("/v1/conversations", Api.Json("{}"))).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await _a.Client(user.Key).GetAsync("/v1/conversations")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_key_revoked_through_the_client_mode_host_gets_401_on_the_silo_host_within_a_second()
    {
        var user = await _b.Client(TestKeys.Admin).NewUser("revoked-through-b");
        var onA = _a.Client(user.Key);
        using (var before = await onA.GetAsync("/v1/usage"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _b.Client(TestKeys.Admin).RevokeKey(user.KeyId);
        var sinceRevoke = Stopwatch.StartNew();

        var status = await Eventually.Within(
            async () => { using var r = await onA.GetAsync("/v1/usage"); return r.StatusCode; },
            s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1));
        Assert.True(status == HttpStatusCode.Unauthorized, $"host A still answered {(int)status} for the revoked key {sinceRevoke.Elapsed} after the revoke");
    }

    [Fact]
    public async Task Hosts_reserving_requests_never_exceed_a_shared_limit_and_give_back_what_they_did_not_use()
    {
        const int limit = 640;
        var user = await _a.Client(TestKeys.Admin).NewUser("reserving-across-hosts", $$"""{"requests_per_minute":{{limit}}}""");
        var onA = _a.Client(user.Key);
        var onB = _b.Client(user.Key);
        var upstreamBefore = fixture.Upstream.ChatRequests.Count;
        const string chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say reserved"}]}""";

        // Host A uses requests in a row, so it reserves several at a time, and stops holding some it did not use.
        for (var i = 0; i < 40; i++)
        {
            using var response = await onA.PostAsync("/v1/chat/completions", Api.Json(chat));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Host B takes the rest of the minute's requests: refused while A holds its unused ones, until A gives them back.
        var admittedOnB = 0;
        var refusedOnB = 0;
        var deadline = Stopwatch.StartNew();
        while (40 + admittedOnB < limit && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await onB.PostAsync("/v1/chat/completions", Api.Json(chat));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admittedOnB++;
                continue;
            }

            await response.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            refusedOnB++;
            await Task.Delay(50);
        }

        Assert.True(admittedOnB == limit - 40, $"host B admitted {admittedOnB} of the {limit - 40} left ({refusedOnB} refused on the way)");
        foreach (var client in new[] { onA, onB })
        {
            using var over = await client.PostAsync("/v1/chat/completions", Api.Json(chat));
            await over.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }

        Assert.Equal(upstreamBefore + limit, fixture.Upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task A_requests_per_minute_limit_holds_across_both_hosts()
    {
        var user = await _a.Client(TestKeys.Admin).NewUser("limited-across-hosts", """{"requests_per_minute":4}""");
        var onA = _a.Client(user.Key);
        var onB = _b.Client(user.Key);
        var id = await onA.CreateConversation();
        var upstreamBefore = fixture.Upstream.ChatRequests.Count;

        var remaining = new List<string>();
        foreach (var (client, content) in new[] { (onA, "Say one"), (onB, "Say two"), (onA, "Say three"), (onB, "Say four") })
        {
            using var response = await client.SendMessage(id, content);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{content} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            remaining.Add(response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        }

        Assert.Equal(["3", "2", "1", "0"], remaining);
        foreach (var client in new[] { onA, onB })
        {
            using var refused = await client.SendMessage(id, "Say five");
            var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Equal("requests", error.GetProperty("type").GetString());
            Assert.Equal("4", refused.Headers.GetValues("x-ratelimit-limit-requests").Single());
            using var stateless = await client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say five"}]}"""));
            await stateless.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }

        Assert.Equal(upstreamBefore + 4, fixture.Upstream.ChatRequests.Count);
        Assert.Equal(8, (await onB.Items(id)).GetProperty("data").GetArrayLength());
    }
}
