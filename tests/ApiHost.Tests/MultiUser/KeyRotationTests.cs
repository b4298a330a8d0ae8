using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Changing the configured keys: a new admin key works everywhere and the old one nowhere; a newly
/// configured key of the default user works at once.
/// </summary>
public sealed class KeyRotationTests
{
    private const string NewAdminKey = "sk-admin-0ddba11000000000000000000000000000000000000000002";

    [Fact]
    public async Task A_host_restarted_with_a_new_admin_key_accepts_only_the_new_one()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            string userId;
            await using (var first = await RunningApiHost.StartAsync(dataDirectory: data))
            {
                userId = (await first.Client(TestKeys.Admin).CreateUser("kept-across-rotation")).GetProperty("id").GetString()!;
            }

            await using var second = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?> { ["CONVERSATIONS_ADMIN_KEY"] = NewAdminKey }, dataDirectory: data);

            using var withNew = await second.Client(NewAdminKey).GetAsync("/v1/admin/users");
            Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
            Assert.Contains((await withNew.ReadJson()).GetProperty("data").EnumerateArray(), u => u.GetProperty("id").GetString() == userId);
            await (await second.Client(TestKeys.Admin).GetAsync("/v1/admin/users")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
            // The user keys are untouched by it.
            using var user = await second.Client().GetAsync("/v1/conversations");
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_new_admin_key_tried_before_a_host_brought_it_in_works_once_it_is_in_and_the_old_key_stops()
    {
        await using var silo = await RunningApiHost.StartAsync();
        // Someone tries the new key (a script, a health check) before any host is configured with it.
        await (await silo.Client(NewAdminKey).GetAsync("/v1/admin/users")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        using (var old = await silo.Client(TestKeys.Admin).GetAsync("/v1/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }

        // A host comes up with the new key: it becomes the cluster's admin key.
        var overrides = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_SILO"] = "false",
            ["Orleans:Endpoints:GatewayPort"] = silo.Settings["Orleans:Endpoints:GatewayPort"],
            ["CONVERSATIONS_ADMIN_KEY"] = NewAdminKey,
        };
        await using var front = await RunningApiHost.StartAsync(overrides: overrides);

        using (var onFront = await front.Client(NewAdminKey).GetAsync("/v1/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, onFront.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await Eventually.Within(
            async () => { using var r = await silo.Client(NewAdminKey).GetAsync("/v1/admin/users"); return r.StatusCode; },
            s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(1)));
        foreach (var host in new[] { front, silo })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Eventually.Within(
                async () => { using var r = await host.Client(TestKeys.Admin).GetAsync("/v1/admin/users"); return r.StatusCode; },
                s => s == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public async Task A_new_default_user_key_tried_before_a_host_brought_it_in_works_once_it_is_in_and_replaces_the_old_one()
    {
        const string newUserKey = "sk-conv-0ddba11000000000000000000000000000000000000000003";
        await using var silo = await RunningApiHost.StartAsync();
        await (await silo.Client(newUserKey).GetAsync("/v1/conversations")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");

        var overrides = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_SILO"] = "false",
            ["Orleans:Endpoints:GatewayPort"] = silo.Settings["Orleans:Endpoints:GatewayPort"],
            ["CONVERSATIONS_API_KEY"] = newUserKey,
        };
        await using var front = await RunningApiHost.StartAsync(overrides: overrides);

        var id = await front.Client(newUserKey).CreateConversation();
        Assert.Equal(HttpStatusCode.OK, await Eventually.Within(
            async () => { using var r = await silo.Client(newUserKey).GetAsync($"/v1/conversations/{id}"); return r.StatusCode; },
            s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(1)));

        // Like the admin key, the configured key was replaced: the one configured before stops working everywhere.
        foreach (var host in new[] { front, silo })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Eventually.Within(
                async () => { using var r = await host.Client(TestKeys.DefaultUser).GetAsync("/v1/conversations"); return r.StatusCode; },
                s => s == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(1)));
        }
    }
}
