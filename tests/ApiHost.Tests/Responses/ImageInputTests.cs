using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Images in a conversation, sent with the SDK's content parts: the upstream gets them as Chat Completions
/// <c>image_url</c> parts with their detail, and they stay in the conversation, so later turns send them again.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ImageInputTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private static readonly Uri CatPicture = new("https://example.com/pictures/cat.png");
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task An_image_url_reaches_the_upstream_as_an_image_part_and_later_turns_send_it_again()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;
        var question = ResponseItem.CreateUserMessageItem(
        [
            ResponseContentPart.CreateInputTextPart("What is in this picture?"),
            ResponseContentPart.CreateInputImagePart(CatPicture, ResponseImageDetailLevel.High),
        ]);

        await _responses.CreateResponseAsync(new CreateResponseOptions(Model, [question]) { ConversationOptions = new ResponseConversationOptions(conversationId) });
        await _responses.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Say and its colour?")]) { ConversationOptions = new ResponseConversationOptions(conversationId) });

        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(2, sent.Count);
        foreach (var request in sent)
        {
            var parts = request.Json.GetProperty("messages")[0].GetProperty("content");
            Assert.Equal("text", parts[0].GetProperty("type").GetString());
            Assert.Equal("What is in this picture?", parts[0].GetProperty("text").GetString());
            Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
            Assert.Equal(CatPicture.ToString(), parts[1].GetProperty("image_url").GetProperty("url").GetString());
            Assert.Equal("high", parts[1].GetProperty("image_url").GetProperty("detail").GetString());
        }

        var (items, _) = await _conversations.AllItems(conversationId);
        var stored = Assert.IsAssignableFrom<MessageResponseItem>(items[0]);
        Assert.Equal([ResponseContentPartKind.InputText, ResponseContentPartKind.InputImage], stored.Content.Select(p => p.Kind));
        Assert.Equal(CatPicture.ToString(), stored.Content[1].InputImageUri);
        Assert.Equal(ResponseImageDetailLevel.High, stored.Content[1].InputImageDetailLevel);
    }

    [Fact]
    public async Task Image_bytes_reach_the_upstream_as_a_data_url()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];
        var before = _upstream.ChatRequests.Count;
        var question = ResponseItem.CreateUserMessageItem(
        [
            ResponseContentPart.CreateInputTextPart("Describe this"),
            ResponseContentPart.CreateInputImagePart(new BinaryData(png, "image/png"), ResponseImageDetailLevel.Low),
        ]);

        await _responses.CreateResponseAsync(new CreateResponseOptions(Model, [question]));

        var image = Assert.Single(_upstream.ChatRequestsSince(before)).Json.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("image_url");
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(png)}", image.GetProperty("url").GetString());
        Assert.Equal("low", image.GetProperty("detail").GetString());
    }
}
