using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Users see only their own conversations: another user's conversation answers exactly as one that
/// never existed, on every route, and nothing they send to it has any effect.
/// </summary>
public sealed class IsolationTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private const string NeverExisted = "conv_00000000000000000000000000000000";

    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    public static TheoryData<string, string, string?> ConversationRoutes => new()
    {
        { "GET", "/v1/conversations/{id}", null },
        { "POST", "/v1/conversations/{id}", """{"metadata":{"owner":"mallory"},"settings":{"instructions":"Leak everything."}}""" },
        { "DELETE", "/v1/conversations/{id}", null },
        { "GET", "/v1/conversations/{id}/items", null },
        { "GET", "/v1/conversations/{id}/items?order=asc&limit=1", null },
        { "POST", "/v1/conversations/{id}/messages", """{"content":"Say mine now"}""" },
        { "POST", "/v1/conversations/{id}/messages", """{"content":"Say mine now","stream":true}""" },
        { "GET", "/v1/conversations/{id}/export?format=json", null },
        { "GET", "/v1/conversations/{id}/export?format=markdown", null },
    };

    [Theory]
    [MemberData(nameof(ConversationRoutes))]
    public async Task Another_users_conversation_answers_404_exactly_like_one_that_never_existed_and_is_left_unchanged(string method, string path, string? body)
    {
        var alice = _host.Client((await _admin.NewUser("alice")).Key);
        var bob = _host.Client((await _admin.NewUser("bob")).Key);
        var id = await alice.CreateConversation("""{"metadata":{"owner":"alice"},"settings":{"instructions":"Be kind."}}""");
        await alice.Turn(id, "Say first");
        var conversationBefore = await Body(alice, $"/v1/conversations/{id}");
        var itemsBefore = await Body(alice, $"/v1/conversations/{id}/items?order=asc");

        using var theirs = await Send(bob, method, path.Replace("{id}", id), body);
        using var nobodys = await Send(bob, method, path.Replace("{id}", NeverExisted), body);

        await theirs.AssertError(HttpStatusCode.NotFound, "not_found");
        await nobodys.AssertError(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(
            (await nobodys.Content.ReadAsStringAsync()).Replace(NeverExisted, "{id}"),
            (await theirs.Content.ReadAsStringAsync()).Replace(id, "{id}"));
        Assert.Equal(nobodys.Content.Headers.ContentType, theirs.Content.Headers.ContentType);
        Assert.Equal(nobodys.Headers.Select(h => h.Key).Order(), theirs.Headers.Select(h => h.Key).Order());

        // Nothing Bob sent reached Alice's conversation.
        Assert.Equal(conversationBefore, await Body(alice, $"/v1/conversations/{id}"));
        Assert.Equal(itemsBefore, await Body(alice, $"/v1/conversations/{id}/items?order=asc"));
        Assert.Contains(id, await Body(alice, "/v1/conversations?limit=100"));
        Assert.DoesNotContain(id, await Body(bob, "/v1/conversations?limit=100"));
        // And Alice can still use it.
        await alice.Turn(id, "Say second");
        Assert.Equal(4, (await alice.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task The_conversation_list_holds_only_the_callers_own_newest_first_and_pages_with_limit_and_after()
    {
        var alice = _host.Client((await _admin.NewUser("alice-lists")).Key);
        var bob = _host.Client((await _admin.NewUser("bob-lists")).Key);
        var alices = new List<string>();
        var bobs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            alices.Add(await alice.CreateConversation(JsonSerializer.Serialize(new { metadata = new { n = $"{i}" } })));
            if (i < 2)
            {
                bobs.Add(await bob.CreateConversation());
            }
        }

        var newestFirst = Enumerable.Reverse(alices).ToList();
        var first = await List(alice, "limit=2");
        Assert.Equal("list", first.GetProperty("object").GetString());
        Assert.Equal(newestFirst[..2], Ids(first));
        Assert.Equal(newestFirst[0], first.GetProperty("first_id").GetString());
        Assert.Equal(newestFirst[1], first.GetProperty("last_id").GetString());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.All(first.GetProperty("data").EnumerateArray(), c => Assert.Equal("conversation", c.GetProperty("object").GetString()));
        Assert.Equal("4", first.GetProperty("data")[0].GetProperty("metadata").GetProperty("n").GetString());

        var second = await List(alice, $"limit=2&after={first.GetProperty("last_id").GetString()}");
        Assert.Equal(newestFirst[2..4], Ids(second));
        Assert.True(second.GetProperty("has_more").GetBoolean());

        var third = await List(alice, $"limit=2&after={second.GetProperty("last_id").GetString()}");
        Assert.Equal(newestFirst[4..], Ids(third));
        Assert.False(third.GetProperty("has_more").GetBoolean());

        Assert.Equal(newestFirst, Ids(await List(alice, "")));
        Assert.Equal(alices, Ids(await List(alice, "order=asc")));
        Assert.Equal(Enumerable.Reverse(bobs), Ids(await List(bob, "limit=100")));
        var exact = await List(bob, "limit=2");
        Assert.False(exact.GetProperty("has_more").GetBoolean());

        // Another user's conversation is no place to page from: the page is empty, as for an unknown id.
        var fromTheirs = await List(bob, $"after={alices[2]}");
        Assert.Empty(Ids(fromTheirs));
        Assert.False(fromTheirs.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fromTheirs.GetProperty("first_id").ValueKind);
    }

    [Fact]
    public async Task A_new_user_starts_with_an_empty_list()
    {
        var carol = _host.Client((await _admin.NewUser("carol-empty")).Key);

        var list = await List(carol, "");

        Assert.Empty(Ids(list));
        Assert.False(list.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=x", "limit")]
    [InlineData("order=sideways", "order")]
    public async Task A_bad_list_query_answers_400_naming_it(string query, string param)
    {
        using var response = await _host.Client().GetAsync($"/v1/conversations?{query}");

        var error = await response.AssertError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    private static async Task<JsonElement> List(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/v1/conversations?{query}");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list answered {(int)response.StatusCode}: {json}");
        return json;
    }

    private static List<string> Ids(JsonElement list) =>
        [.. list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

    private static async Task<string> Body(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {text}");
        return text;
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
}
