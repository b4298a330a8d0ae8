using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Users see only their own responses, conversations and items: another user's answers exactly as an id that
/// never existed — same status, same body but for the id — on every Responses and item route, and whatever
/// they send changes nothing.
/// </summary>
public sealed class ResponseIsolationTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private const string NoResponse = "resp_00000000000000000000000000000000";
    private const string NoConversation = "conv_00000000000000000000000000000000";
    private const string NoItem = "msg_00000000000000000000000000000000";

    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    /// <summary>
    /// Routes with placeholders: <c>{response}</c> Alice's stored response, <c>{turn}</c> a response of her
    /// conversation, <c>{conversation}</c> her conversation, <c>{item}</c> one of its items, <c>{own}</c> the caller's
    /// own conversation (to ask it for Alice's item).
    /// </summary>
    public static TheoryData<string, string, string?> Routes => new()
    {
        { "GET", "/v1/responses/{response}", null },
        { "GET", "/v1/responses/{turn}", null },
        { "GET", "/v1/responses/{response}?stream=true", null },
        { "GET", "/v1/responses/{response}?stream=true&starting_after=1", null },
        { "DELETE", "/v1/responses/{response}", null },
        { "DELETE", "/v1/responses/{turn}", null },
        { "GET", "/v1/responses/{response}/input_items", null },
        { "GET", "/v1/responses/{turn}/input_items?limit=1&order=asc", null },
        { "POST", "/v1/responses", """{"model":"offline","input":"Tell me what she said","previous_response_id":"{response}"}""" },
        { "POST", "/v1/responses", """{"model":"offline","input":"Tell me what she said","previous_response_id":"{turn}","stream":true}""" },
        { "POST", "/v1/responses", """{"model":"offline","input":"Mine now","conversation":"{conversation}"}""" },
        { "POST", "/v1/responses", """{"model":"offline","input":"Mine now","conversation":{"id":"{conversation}"},"stream":true}""" },
        { "POST", "/v1/responses/input_tokens", """{"model":"offline","input":"How long was hers?","previous_response_id":"{response}"}""" },
        { "POST", "/v1/responses/input_tokens", """{"model":"offline","input":"How long was hers?","previous_response_id":"{turn}"}""" },
        { "POST", "/v1/responses/input_tokens", """{"model":"offline","input":"How long is it?","conversation":"{conversation}"}""" },
        { "GET", "/v1/conversations/{conversation}/items/{item}", null },
        { "GET", "/v1/conversations/{conversation}/items/{item}?include[]=message.output_text.logprobs", null },
        { "DELETE", "/v1/conversations/{conversation}/items/{item}", null },
        { "POST", "/v1/conversations/{conversation}/items", """{"items":[{"type":"message","role":"user","content":"Planted"}]}""" },
        { "GET", "/v1/conversations/{own}/items/{item}", null },
        { "DELETE", "/v1/conversations/{own}/items/{item}", null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Another_users_response_conversation_or_item_answers_exactly_like_one_that_never_existed(string method, string path, string? body)
    {
        var alice = _host.Client((await _admin.NewUser("alice-responses")).Key);
        var bob = _host.Client((await _admin.NewUser("bob-responses")).Key);
        var response = (await alice.CreateResponse("""{"model":"offline","input":"My secret is 42"}""")).GetProperty("id").GetString()!;
        var conversation = await alice.CreateConversation("""{"metadata":{"owner":"alice"}}""");
        var turn = (await alice.CreateResponse($$"""{"model":"offline","input":"My other secret","conversation":"{{conversation}}"}""")).GetProperty("id").GetString()!;
        var item = (await alice.Items(conversation)).GetProperty("data")[0].GetProperty("id").GetString()!;
        var own = await bob.CreateConversation();
        var before = await Snapshot(alice, response, turn, conversation);

        string Theirs(string text) => text.Replace("{response}", response).Replace("{turn}", turn).Replace("{conversation}", conversation).Replace("{item}", item).Replace("{own}", own);
        string Nobodys(string text) => text.Replace("{response}", NoResponse).Replace("{turn}", NoResponse).Replace("{conversation}", NoConversation).Replace("{item}", NoItem).Replace("{own}", own);
        string Unnamed(string text, bool theirs) => theirs
            ? text.Replace(response, "{id}").Replace(turn, "{id}").Replace(conversation, "{conversation}").Replace(item, "{item}")
            : text.Replace(NoResponse, "{id}").Replace(NoConversation, "{conversation}").Replace(NoItem, "{item}");

        using var theirs = await ResponseErrorTests.Send(bob, method, Theirs(path), body is null ? null : Theirs(body));
        using var nobodys = await ResponseErrorTests.Send(bob, method, Nobodys(path), body is null ? null : Nobodys(body));
        var theirsBody = await theirs.Content.ReadAsStringAsync();
        var nobodysBody = await nobodys.Content.ReadAsStringAsync();

        Assert.True(theirs.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)theirs.StatusCode}: {theirsBody}");
        Assert.Equal(nobodys.StatusCode, theirs.StatusCode);
        Assert.Equal(Unnamed(nobodysBody, theirs: false), Unnamed(theirsBody, theirs: true));
        Assert.Equal(nobodys.Content.Headers.ContentType, theirs.Content.Headers.ContentType);
        var code = JsonDocument.Parse(theirsBody).RootElement.GetProperty("error").GetProperty("code").GetString();
        Assert.Equal(body?.Contains("previous_response_id") == true ? "previous_response_not_found" : "not_found", code);
        Assert.DoesNotContain("secret", theirsBody, StringComparison.OrdinalIgnoreCase);

        // Nothing Bob sent reached Alice's things, and she still has them all.
        Assert.Equal(before, await Snapshot(alice, response, turn, conversation));
    }

    private static async Task<string> Snapshot(HttpClient owner, string response, string turn, string conversation)
    {
        var parts = new List<string>();
        foreach (var path in new[]
        {
            $"/v1/responses/{response}", $"/v1/responses/{turn}", $"/v1/responses/{response}/input_items",
            $"/v1/conversations/{conversation}", $"/v1/conversations/{conversation}/items?order=asc",
        })
        {
            using var read = await owner.GetAsync(path);
            var text = await read.Content.ReadAsStringAsync();
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{path} answered its owner {(int)read.StatusCode}: {text}");
            parts.Add(text);
        }

        return string.Join('\n', parts);
    }
}
