using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// An operator's day with the admin API: create users, issue a key, hand it out, list, revoke; and what
/// the admin routes answer to unknown ids, malformed ids and bad bodies.
/// </summary>
public sealed class AdminFlowTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    [Fact]
    public async Task Creating_a_user_answers_201_with_the_user_and_the_user_is_listed()
    {
        using var response = await _admin.PostAsync("/v1/admin/users", Api.Json("""{"name":"alice","limits":{"requests_per_minute":60,"tokens_per_day":200000,"concurrent_streams":2}}"""));
        var user = await response.ReadJson();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = user.GetProperty("id").GetString()!;
        Assert.Matches("^user_[a-z0-9]+$", id);
        Assert.Equal("user", user.GetProperty("object").GetString());
        Assert.Equal("alice", user.GetProperty("name").GetString());
        var limits = user.GetProperty("limits");
        Assert.Equal(60, limits.GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(200000, limits.GetProperty("tokens_per_day").GetInt64());
        Assert.Equal(2, limits.GetProperty("concurrent_streams").GetInt32());
        Assert.InRange(user.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

        using var listed = await _admin.GetAsync("/v1/admin/users");
        var list = await listed.ReadJson();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("list", list.GetProperty("object").GetString());
        var row = Assert.Single(list.GetProperty("data").EnumerateArray(), u => u.GetProperty("id").GetString() == id);
        Assert.Equal(user.GetRawText(), row.GetRawText());
        // The built-in user is there too.
        Assert.Contains(list.GetProperty("data").EnumerateArray(), u => u.GetProperty("name").GetString() == "default");
    }

    [Fact]
    public async Task A_user_without_limits_of_their_own_shows_null_limits()
    {
        var user = await _admin.CreateUser("bob");

        var limits = user.GetProperty("limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("requests_per_minute").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("tokens_per_day").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("concurrent_streams").ValueKind);
    }

    [Fact]
    public async Task An_issued_key_is_shown_once_works_on_user_routes_and_later_responses_show_only_its_prefix()
    {
        var userId = (await _admin.CreateUser("carol")).GetProperty("id").GetString()!;

        using var issuing = await _admin.PostAsync($"/v1/admin/users/{userId}/keys", null);
        var issued = await issuing.ReadJson();

        Assert.Equal(HttpStatusCode.Created, issuing.StatusCode);
        var key = issued.GetProperty("key").GetString()!;
        var keyId = issued.GetProperty("id").GetString()!;
        Assert.Matches("^key_[a-z0-9]+$", keyId);
        Assert.Equal("api_key", issued.GetProperty("object").GetString());
        Assert.Equal(userId, issued.GetProperty("user_id").GetString());
        Assert.Matches("^sk-conv-[0-9a-f]{48}$", key);
        Assert.Equal(key[..16], issued.GetProperty("prefix").GetString());
        Assert.Equal(JsonValueKind.Null, issued.GetProperty("revoked_at").ValueKind);

        // The key works on the user's routes at once.
        var client = _host.Client(key);
        var conversationId = await client.CreateConversation();
        await client.Turn(conversationId, "Say hello");

        // No later response carries it: the key list shows the prefix only.
        using var listing = await _admin.GetAsync($"/v1/admin/users/{userId}/keys");
        var listText = await listing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.DoesNotContain(key, listText, StringComparison.Ordinal);
        var listed = Assert.Single(JsonDocument.Parse(listText).RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(keyId, listed.GetProperty("id").GetString());
        Assert.Equal(key[..16], listed.GetProperty("prefix").GetString());
        Assert.False(listed.TryGetProperty("key", out _), $"a listed key carries its key: {listed}");
        foreach (var path in new[] { "/v1/admin/users", "/v1/admin/usage" })
        {
            using var other = await _admin.GetAsync(path);
            Assert.DoesNotContain(key, await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var usage = await client.GetAsync("/v1/usage");
        Assert.DoesNotContain(key, await usage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_may_hold_several_keys_and_revoking_one_leaves_the_others_working()
    {
        var userId = (await _admin.CreateUser("dave")).GetProperty("id").GetString()!;
        var first = await _admin.IssueKey(userId);
        var second = await _admin.IssueKey(userId);
        var firstClient = _host.Client(first.GetProperty("key").GetString());
        var secondClient = _host.Client(second.GetProperty("key").GetString());
        var conversationId = await firstClient.CreateConversation();

        await _admin.RevokeKey(first.GetProperty("id").GetString()!);

        await (await firstClient.GetAsync($"/v1/conversations/{conversationId}")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        // The same user's other key still sees the user's conversation.
        using var viaSecond = await secondClient.GetAsync($"/v1/conversations/{conversationId}");
        Assert.Equal(HttpStatusCode.OK, viaSecond.StatusCode);
        var keys = (await (await _admin.GetAsync($"/v1/admin/users/{userId}/keys")).ReadJson()).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(JsonValueKind.Number, keys.Single(k => k.GetProperty("id").GetString() == first.GetProperty("id").GetString()).GetProperty("revoked_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, keys.Single(k => k.GetProperty("id").GetString() == second.GetProperty("id").GetString()).GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_invalid_api_key_within_a_second()
    {
        var user = await _admin.NewUser("erin");
        var client = _host.Client(user.Key);
        // The key is in use (and so cached) when it is revoked.
        using (var before = await client.GetAsync("/v1/conversations"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoking = await _admin.DeleteAsync($"/v1/admin/keys/{user.KeyId}");
        var revoked = await revoking.ReadJson();
        var revokedAt = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, revoking.StatusCode);
        Assert.Equal(user.KeyId, revoked.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, revoked.GetProperty("revoked_at").ValueKind);
        Assert.False(revoked.TryGetProperty("key", out _));
        var status = await Eventually.Within(
            async () => { using var r = await client.GetAsync("/v1/conversations"); return r.StatusCode; },
            s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1));
        Assert.True(status == HttpStatusCode.Unauthorized, $"the revoked key still answered {(int)status} {DateTime.UtcNow - revokedAt} after the revoke");
        await (await client.GetAsync("/v1/conversations")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await client.PostAsync("/v1/conversations", Api.Json("{}"))).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");

        // Revoking again finds the key and answers the same record.
        using var again = await _admin.DeleteAsync($"/v1/admin/keys/{user.KeyId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await (await client.GetAsync("/v1/usage")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("POST", "/v1/admin/users/user_0123456789abcdef/keys", "No user found")]
    [InlineData("GET", "/v1/admin/users/user_0123456789abcdef/keys", "No user found")]
    [InlineData("DELETE", "/v1/admin/keys/key_0123456789abcdef", "No key found")]
    public async Task Unknown_user_and_key_ids_answer_404_not_found(string method, string path, string message)
    {
        using var response = await _admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var error = await response.AssertError(HttpStatusCode.NotFound, "not_found");
        Assert.Contains(message, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("POST", "/v1/admin/users/nope/keys", "user_id")]
    [InlineData("GET", "/v1/admin/users/nope/keys", "user_id")]
    [InlineData("POST", "/v1/admin/users/key_0123456789abcdef/keys", "user_id")]
    [InlineData("GET", "/v1/admin/users/user_has-dash/keys", "user_id")]
    [InlineData("DELETE", "/v1/admin/keys/user_0123456789abcdef", "key_id")]
    [InlineData("DELETE", "/v1/admin/keys/key_", "key_id")]
    [InlineData("DELETE", "/v1/admin/keys/key_%21%21", "key_id")]
    public async Task Malformed_ids_answer_400_invalid_id_naming_the_id(string method, string path, string param)
    {
        using var response = await _admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var error = await response.AssertError(HttpStatusCode.BadRequest, "invalid_id");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("{}", "missing_required_parameter", "name")]
    [InlineData("""{"name":null}""", "missing_required_parameter", "name")]
    [InlineData("""{"name":""}""", "invalid_value", "name")]
    [InlineData("""{"name":"   "}""", "invalid_value", "name")]
    [InlineData("""{"name":42}""", "invalid_type", "name")]
    [InlineData("""{"name":"x","limits":{"requests_per_minute":0}}""", "invalid_value", "limits.requests_per_minute")]
    [InlineData("""{"name":"x","limits":{"requests_per_minute":"x"}}""", "invalid_type", "limits.requests_per_minute")]
    [InlineData("""{"name":"x","limits":{"requests_per_minute":1.5}}""", "invalid_type", "limits.requests_per_minute")]
    [InlineData("""{"name":"x","limits":{"tokens_per_day":-1}}""", "invalid_value", "limits.tokens_per_day")]
    [InlineData("""{"name":"x","limits":{"concurrent_streams":0}}""", "invalid_value", "limits.concurrent_streams")]
    [InlineData("""{"name":"x","limits":{"requests_per_hour":5}}""", "unknown_parameter", "limits.requests_per_hour")]
    [InlineData("""{"name":"x","limits":7}""", "invalid_type", "limits")]
    [InlineData("""{"name":"x","role":"admin"}""", "unknown_parameter", "role")]
    public async Task A_bad_create_user_body_answers_400_naming_the_field_and_creates_nobody(string body, string code, string param)
    {
        var before = await UserCount();

        using var response = await _admin.PostAsync("/v1/admin/users", Api.Json(body));

        var error = await response.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(before, await UserCount());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"alice\"")]
    public async Task A_create_user_body_that_is_not_an_object_answers_400_invalid_type(string body)
    {
        using var response = await _admin.PostAsync("/v1/admin/users", Api.Json(body));

        await response.AssertError(HttpStatusCode.BadRequest, "invalid_type");
    }

    private async Task<int> UserCount() =>
        (await (await _admin.GetAsync("/v1/admin/users")).ReadJson()).GetProperty("data").GetArrayLength();
}
