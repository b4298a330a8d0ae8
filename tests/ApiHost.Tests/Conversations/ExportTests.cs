using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>
/// <c>GET /v1/conversations/{id}/export</c>: a conversation and all its items, to download as JSON or as a
/// Markdown transcript.
/// </summary>
public sealed class ExportTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly HttpClient _user = fixture.Host.Client();

    [Fact]
    public async Task Json_is_the_conversation_and_every_item_oldest_first_past_one_page_as_an_attachment()
    {
        var id = await _user.CreateConversation("""{"metadata":{"title":"Trip to Paris"}}""");
        var sent = new List<string>();
        for (var batch = 0; batch < 6; batch++)
        {
            var notes = Enumerable.Range(batch * 20, 20).Select(n => $"note {n}").ToList();
            var items = string.Join(',', notes.Select(t => $$"""{"type":"message","role":"user","content":{{JsonSerializer.Serialize(t)}}}"""));
            using var appended = await _user.PostAsync($"/v1/conversations/{id}/items", Api.Json($$"""{"items":[{{items}}]}"""));
            Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
            sent.AddRange(notes);
        }

        using var response = await _user.GetAsync($"/v1/conversations/{id}/export?format=json");
        var export = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"trip-to-paris-{id}.json", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("conversation.export", export.GetProperty("object").GetString());
        Assert.Equal(id, export.GetProperty("conversation").GetProperty("id").GetString());
        Assert.Equal("Trip to Paris", export.GetProperty("conversation").GetProperty("metadata").GetProperty("title").GetString());
        var texts = export.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()!).ToList();
        Assert.Equal(sent, texts);
        // Each item as the items route writes it.
        var listed = (await _user.Items(id, "order=asc&limit=1")).GetProperty("data")[0];
        Assert.Equal(listed.GetRawText(), export.GetProperty("items")[0].GetRawText());
    }

    [Fact]
    public async Task Markdown_is_a_transcript_with_the_title_and_each_message_under_its_role()
    {
        var id = await _user.CreateConversation("""{"metadata":{"title":"Greetings"}}""");
        var reply = await _user.Turn(id, "Hello there");
        var answer = reply.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        using var response = await _user.GetAsync($"/v1/conversations/{id}/export?format=markdown");
        var markdown = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"greetings-{id}.md", response.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("# Greetings\n", markdown);
        Assert.Contains("## User\n\nHello there\n", markdown);
        Assert.Contains($"## Assistant\n\n{answer.TrimEnd()}\n", markdown);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("MARKDOWN")]
    [InlineData("")]
    public async Task An_unknown_format_is_refused_naming_format(string format)
    {
        var id = await _user.CreateConversation();

        using var response = await _user.GetAsync($"/v1/conversations/{id}/export?format={format}");

        var error = await response.AssertError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("format", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task No_key_no_export()
    {
        var id = await _user.CreateConversation();
        using var anonymous = fixture.Host.Client(key: null);

        using var response = await anonymous.GetAsync($"/v1/conversations/{id}/export");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
