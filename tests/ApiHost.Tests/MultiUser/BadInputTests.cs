using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Bodies the service will not read: over the size limit (413, whether the client says the length
/// up front or streams it chunked), or not JSON (400 <c>invalid_json</c>). Either way nothing happens.
/// </summary>
public sealed class BadInputTests(BadInputTests.SmallBodyHost fixture) : IClassFixture<BadInputTests.SmallBodyHost>
{
    private const int Limit = 16 * 1024;

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversized_body_gets_413_request_too_large_on_admin_and_chat_routes_and_nothing_happens(bool lengthKnown)
    {
        var admin = _host.Client(TestKeys.Admin);
        var client = _host.Client();
        var id = await client.CreateConversation();
        var usersBefore = (await (await admin.GetAsync("/v1/admin/users")).ReadJson()).GetProperty("data").GetArrayLength();
        var upstreamBefore = _upstream.ChatRequests.Count;
        var big = new string('x', Limit + 1);

        var attempts = new (string Key, string Path, string Body)[]
        {
            (TestKeys.Admin, "/v1/admin/users", JsonSerializer.Serialize(new { name = big })),
            (TestKeys.DefaultUser, $"/v1/conversations/{id}/messages", JsonSerializer.Serialize(new { content = big })),
            (TestKeys.DefaultUser, $"/v1/conversations/{id}/messages", JsonSerializer.Serialize(new { content = big, stream = true })),
            (TestKeys.DefaultUser, "/v1/chat/completions", JsonSerializer.Serialize(new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = big } } })),
            (TestKeys.DefaultUser, "/v1/conversations", JsonSerializer.Serialize(new { metadata = new { big } })),
        };
        foreach (var (key, path, body) in attempts)
        {
            // A connection of its own: after refusing a body it has not read, the server closes the connection.
            using var caller = OwnConnection(key);
            using var response = await caller.PostAsync(path, Body(body, lengthKnown));
            var error = await response.AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
            Assert.Contains($"{Limit}", error.GetProperty("message").GetString());
        }

        Assert.Equal(usersBefore, (await (await admin.GetAsync("/v1/admin/users")).ReadJson()).GetProperty("data").GetArrayLength());
        Assert.Empty((await client.Items(id)).GetProperty("data").EnumerateArray());
        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        // The connection and the host are fine afterwards.
        await client.Turn(id, "Say still here");
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        var admin = _host.Client(TestKeys.Admin);
        var name = new string('n', 200);
        var body = JsonSerializer.Serialize(new { name }).PadRight(Limit);

        using var response = await admin.PostAsync("/v1/admin/users", Api.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name, (await response.ReadJson()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{\"name\":")]
    [InlineData("{name: \"alice\"}")]
    [InlineData("{\"name\":\"alice\"} {}")]
    [InlineData("{\"name\":\"alice\",}")]
    [InlineData("{'name':'alice'}")]
    [InlineData("name=alice")]
    public async Task Malformed_json_on_the_admin_route_gets_400_invalid_json_and_creates_nobody(string body)
    {
        var admin = _host.Client(TestKeys.Admin);
        var before = (await (await admin.GetAsync("/v1/admin/users")).ReadJson()).GetProperty("data").GetArrayLength();

        using var response = await admin.PostAsync("/v1/admin/users", Api.Json(body));

        var error = await response.AssertError(HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(before, (await (await admin.GetAsync("/v1/admin/users")).ReadJson()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_on_the_admin_route_gets_400_invalid_json()
    {
        var content = new ByteArrayContent([.. "{\"name\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _host.Client(TestKeys.Admin).PostAsync("/v1/admin/users", content);

        await response.AssertError(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task The_default_limit_is_8_mib()
    {
        await using var host = await RunningApiHost.StartAsync(_upstream);
        var body = JsonSerializer.Serialize(new { name = new string('x', (8 * 1024 * 1024) + 1) });
        // As curl does for large bodies: the refusal comes before the body is sent. The client waits for the
        // server's answer however long it takes (HttpClient's default is to start sending after a second, and
        // a body sent after the refusal meets a closed connection).
        using var admin = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = host.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Admin);
        admin.DefaultRequestHeaders.ExpectContinue = true;

        using var response = await admin.PostAsync("/v1/admin/users", Api.Json(body));

        var error = await response.AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Contains("8388608", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_refused_body_with_a_known_length_is_answered_with_connection_close()
    {
        using var response = await OwnConnection(TestKeys.Admin).PostAsync("/v1/admin/users", Api.Json(JsonSerializer.Serialize(new { name = new string('x', Limit + 1) })));

        await response.AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.True(response.Headers.ConnectionClose == true, "a connection whose body was left unread must be closed, and said so");
    }

    private HttpClient OwnConnection(string key)
    {
        var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static HttpContent Body(string json, bool lengthKnown)
    {
        if (lengthKnown)
        {
            return Api.Json(json);
        }

        // No Content-Length: the body arrives chunked and the limit is found while reading.
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A readable stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A host that takes bodies of at most <see cref="Limit"/> bytes.</summary>
    public sealed class SmallBodyHost : IAsyncLifetime
    {
        public FakeOpenAiServer Upstream { get; private set; } = null!;

        public RunningApiHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Upstream = await FakeOpenAiServer.StartAsync();
            Host = await RunningApiHost.StartAsync(Upstream, new Dictionary<string, string?> { ["CONVERSATIONS_MAX_BODY_BYTES"] = $"{Limit}" });
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }
}
