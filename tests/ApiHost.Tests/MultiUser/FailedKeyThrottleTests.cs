using System.Diagnostics;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Guessing keys from one address is slowed, then refused with 429 and <c>Retry-After</c> until the window
/// ends, while a user on another address never notices. Distinct client addresses are simulated with
/// <c>X-Forwarded-For</c> sent from loopback, which these hosts trust as their proxy.
/// </summary>
public sealed class FailedKeyThrottleTests
{
    private const string Attacker = "203.0.113.7";
    private const string Innocent = "198.51.100.20";
    private const int Limit = 5;

    [Fact]
    public async Task Failed_keys_from_one_address_are_slowed_then_refused_with_429_while_a_user_on_another_address_keeps_working()
    {
        await using var host = await RunningApiHost.StartAsync(overrides: Throttle(slowAfter: 3, delay: "00:00:00.300", window: "00:10:00"), minimumLevel: LogLevel.Trace);
        var guesses = Enumerable.Range(0, Limit + 2).Select(i => $"sk-conv-guess{i:D3}-0000000000000000000000000000000000000000").ToList();
        var user = await host.Client(TestKeys.Admin).NewUser("innocent");
        using var innocent = From(host, Innocent, user.Key);

        for (var i = 0; i < Limit; i++)
        {
            using var guesser = From(host, Attacker, guesses[i]);
            var clock = Stopwatch.StartNew();
            using var guessed = await guesser.GetAsync("/v1/conversations");
            await guessed.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
            if (i >= 3)
            {
                Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"failure {i + 1} was answered after {clock.ElapsedMilliseconds} ms, not slowed");
            }

            // Each failure on one address leaves the other alone.
            using var served = await innocent.GetAsync("/v1/conversations");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refusedGuesser = From(host, Attacker, guesses[Limit]);
        using var refused = await refusedGuesser.GetAsync("/v1/conversations");
        var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(10), $"Retry-After: {refused.Headers.RetryAfter}");

        // The decision documented in the README: a refused address is refused before its key is checked,
        // valid keys included, or the change from 429 to 200 would tell a guesser which guess was right.
        using var validFromAttacker = From(host, Attacker, user.Key);
        using var alsoRefused = await validFromAttacker.PostAsync("/v1/conversations", Api.Json("{}"));
        await alsoRefused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        using var anonymous = From(host, Attacker, key: null);
        using var health = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // The user elsewhere is untouched: a turn, and even a wrong key of their own is a plain 401.
        var conversationId = await innocent.CreateConversation();
        await innocent.Turn(conversationId, "Still here?");
        using var innocentTypo = From(host, Innocent, "sk-conv-typo-000000000000000000000000000000000000000000");
        using var typo = await innocentTypo.GetAsync("/v1/usage");
        await typo.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");

        Assert.Contains(host.Logs.Lines, line => line.Contains(Attacker, StringComparison.Ordinal) && line.Contains("failed keys", StringComparison.Ordinal));
        foreach (var key in guesses.Append(user.Key))
        {
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("192.0.2.1")]
    public async Task A_forwarded_for_header_from_a_source_that_is_not_a_trusted_proxy_is_ignored(string? trustedProxy)
    {
        var settings = Throttle(slowAfter: Limit, delay: "00:00:00", window: "00:10:00");
        settings["ForwardedHeaders:KnownProxies"] = trustedProxy;
        await using var host = await RunningApiHost.StartAsync(overrides: settings);

        // Each guess claims a fresh address; loopback is not trusted, so all of them count against loopback.
        for (var i = 0; i < Limit; i++)
        {
            using var guesser = From(host, $"203.0.113.{i + 10}", $"sk-conv-forged{i}-00000000000000000000000000000000000000000");
            using var guessed = await guesser.GetAsync("/v1/conversations");
            await guessed.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        using var next = From(host, "203.0.113.99", "sk-conv-forged-last-000000000000000000000000000000000000000");
        using var refused = await next.GetAsync("/v1/conversations");
        await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_refused_address_is_served_again_once_the_window_has_passed()
    {
        await using var host = await RunningApiHost.StartAsync(overrides: Throttle(slowAfter: Limit, delay: "00:00:00", window: "00:00:02"));
        using var guesser = From(host, Attacker, "sk-conv-wrong-0000000000000000000000000000000000000000000");
        using var owner = From(host, Attacker, TestKeys.DefaultUser);
        for (var i = 0; i < Limit; i++)
        {
            (await guesser.GetAsync("/v1/usage")).Dispose();
        }

        using var refused = await owner.GetAsync("/v1/usage");
        await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        var served = await Eventually.Holds(
            async () => { using var response = await owner.GetAsync("/v1/usage"); return response.StatusCode; },
            status => status == HttpStatusCode.OK,
            "the owner's key served again after the window",
            TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, served);
        using var wrongAgain = await guesser.GetAsync("/v1/usage");
        await wrongAgain.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    private static Dictionary<string, string?> Throttle(int slowAfter, string delay, string window) => new()
    {
        ["FailedKeys:Limit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FailedKeys:SlowAfter"] = slowAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FailedKeys:Delay"] = delay,
        ["FailedKeys:Window"] = window,
        ["ForwardedHeaders:KnownProxies"] = "127.0.0.1",
    };

    /// <summary>A client of <paramref name="host"/> that, through the trusted proxy on loopback, appears to call from <paramref name="address"/>.</summary>
    private static HttpClient From(RunningApiHost host, string address, string? key)
    {
        var client = host.Client(key);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
