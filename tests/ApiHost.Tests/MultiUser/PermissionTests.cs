using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Who may call what: a user's key never reaches the admin routes, the admin key never reaches a
/// user's routes, and anything that is not a live key gets 401 with a code saying what was wrong.
/// </summary>
public sealed class PermissionTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    public static TheoryData<string, string, string?> AdminRoutes => new()
    {
        { "POST", "/v1/admin/users", """{"name":"mallory"}""" },
        { "GET", "/v1/admin/users", null },
        { "POST", "/v1/admin/users/user_default/keys", null },
        { "GET", "/v1/admin/users/user_default/keys", null },
        { "DELETE", "/v1/admin/keys/key_0123456789abcdef", null },
        { "GET", "/v1/admin/usage", null },
    };

    public static TheoryData<string, string, string?> UserRoutes => new()
    {
        { "POST", "/v1/conversations", "{}" },
        { "GET", "/v1/conversations", null },
        { "GET", "/v1/conversations/{conversation}", null },
        { "POST", "/v1/conversations/{conversation}", """{"metadata":{"by":"admin"}}""" },
        { "DELETE", "/v1/conversations/{conversation}", null },
        { "GET", "/v1/conversations/{conversation}/items", null },
        { "POST", "/v1/conversations/{conversation}/messages", """{"content":"Say hi"}""" },
        { "POST", "/v1/conversations/{conversation}/messages", """{"content":"Say hi","stream":true}""" },
        { "POST", "/v1/chat/completions", """{"model":"offline","messages":[{"role":"user","content":"Say hi"}]}""" },
        { "GET", "/v1/usage", null },
        { "GET", "/v1/models", null },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_user_key_on_an_admin_route_gets_403_insufficient_permissions_and_changes_nothing(string method, string path, string? body)
    {
        var user = await _admin.NewUser("user-on-admin-route");
        var usersBefore = await Text("/v1/admin/users");
        var keysBefore = await Text("/v1/admin/users/user_default/keys");

        using var response = await Send(_host.Client(user.Key), method, path, body);

        var error = await response.AssertError(HttpStatusCode.Forbidden, "insufficient_permissions");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal(usersBefore, await Text("/v1/admin/users"));
        Assert.Equal(keysBefore, await Text("/v1/admin/users/user_default/keys"));
    }

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task The_admin_key_on_a_user_route_gets_403_insufficient_permissions_and_changes_nothing(string method, string path, string? body)
    {
        var owner = _host.Client();
        var conversationId = await owner.CreateConversation("""{"metadata":{"by":"owner"}}""");
        await owner.Turn(conversationId, "Say one");
        var conversationBefore = await (await owner.GetAsync($"/v1/conversations/{conversationId}")).Content.ReadAsStringAsync();
        var listBefore = await (await owner.GetAsync("/v1/conversations?limit=100")).Content.ReadAsStringAsync();

        using var response = await Send(_admin, method, path.Replace("{conversation}", conversationId), body);

        var error = await response.AssertError(HttpStatusCode.Forbidden, "insufficient_permissions");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal(conversationBefore, await (await owner.GetAsync($"/v1/conversations/{conversationId}")).Content.ReadAsStringAsync());
        Assert.Equal(listBefore, await (await owner.GetAsync("/v1/conversations?limit=100")).Content.ReadAsStringAsync());
        Assert.Equal(2, (await owner.Items(conversationId)).GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/v1/conversations")]
    [InlineData("POST", "/v1/conversations")]
    [InlineData("GET", "/v1/usage")]
    [InlineData("POST", "/v1/chat/completions")]
    [InlineData("GET", "/v1/admin/users")]
    [InlineData("POST", "/v1/admin/users")]
    public async Task No_authorization_header_gets_401_missing_api_key(string method, string path)
    {
        using var response = await Send(_host.Client(key: null), method, path, "{}");

        await response.AssertError(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Theory]
    [InlineData("Basic", "YWRtaW46c2VjcmV0")]
    [InlineData("Token", TestKeys.DefaultUser)]
    [InlineData("Token", TestKeys.Admin)]
    [InlineData("Digest", "username=\"admin\"")]
    public async Task Another_scheme_than_bearer_gets_401_invalid_authorization_header(string scheme, string parameter)
    {
        foreach (var path in new[] { "/v1/conversations", "/v1/admin/users" })
        {
            var client = _host.Client(key: null);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, parameter);

            using var response = await client.GetAsync(path);

            await response.AssertError(HttpStatusCode.Unauthorized, "invalid_authorization_header");
        }
    }

    [Fact]
    public async Task A_key_without_a_scheme_gets_401_invalid_authorization_header()
    {
        var client = _host.Client(key: null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestKeys.DefaultUser);

        using var response = await client.GetAsync("/v1/conversations");

        await response.AssertError(HttpStatusCode.Unauthorized, "invalid_authorization_header");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("sk-conv-0000000000000000000000000000000000000000000000000")]
    [InlineData("sk-admin-a11ce0000000000000000000000000000000000000000002")]
    [InlineData(TestKeys.DefaultUser + "x")]
    public async Task An_unknown_key_gets_401_invalid_api_key_on_user_and_admin_routes(string key)
    {
        foreach (var path in new[] { "/v1/conversations", "/v1/usage", "/v1/admin/users", "/v1/admin/usage" })
        {
            using var response = await _host.Client(key).GetAsync(path);

            await response.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        }
    }

    [Fact]
    public async Task A_very_long_bearer_value_gets_401_invalid_api_key()
    {
        using var response = await _host.Client(new string('k', 4000)).GetAsync("/v1/conversations");

        await response.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_revoked_key_gets_401_invalid_api_key_on_every_route_and_reads_the_same_as_an_unknown_one()
    {
        var user = await _admin.NewUser("revoked-everywhere");
        var client = _host.Client(user.Key);
        var conversationId = await client.CreateConversation();
        await _admin.RevokeKey(user.KeyId);
        Assert.Equal(HttpStatusCode.Unauthorized, await Eventually.Within(async () => (await client.GetAsync("/v1/usage")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1)));

        foreach (var (method, path, body) in UserRoutes.Select(row => ((string)row[0], (string)row[1], (string?)row[2])))
        {
            using var response = await Send(client, method, path.Replace("{conversation}", conversationId), body);
            var error = await response.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
            using var unknown = await Send(_host.Client("sk-conv-never-issued"), method, path.Replace("{conversation}", conversationId), body);
            Assert.Equal(error.GetRawText(), (await unknown.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key")).GetRawText());
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Api.Json(body);
        }

        return client.SendAsync(request);
    }

    private async Task<string> Text(string path)
    {
        using var response = await _admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
