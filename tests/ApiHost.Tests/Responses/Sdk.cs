using System.ClientModel;
using System.ClientModel.Primitives;
using Conversations.ApiHost.Tests.Infrastructure;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// The official SDK's Responses and Conversations clients pointed at a running host, configured as a user
/// would against OpenAI with only the endpoint and the key changed, and the reads the tests share.
/// </summary>
public static class Sdk
{
    /// <summary>More pages than any test's listing needs: an auto-pagination that gets here does not end.</summary>
    private const int MaxPages = 50;

    public static ResponsesClient Responses(this RunningApiHost host, string key = TestKeys.DefaultUser) =>
        new(new ApiKeyCredential(key), new ResponsesClientOptions { Endpoint = new Uri(host.Address, "/v1") });

    public static ConversationClient Conversations(this RunningApiHost host, string key = TestKeys.DefaultUser) =>
        new(new ApiKeyCredential(key), new ConversationClientOptions { Endpoint = new Uri(host.Address, "/v1") });

    /// <summary>A new conversation with no items, made with the SDK; returns its id.</summary>
    public static async Task<string> NewConversation(this ConversationClient conversations)
    {
        ConversationResource created = await conversations.CreateConversationAsync(new ConversationCreationOptions());
        Assert.StartsWith("conv_", created.Id, StringComparison.Ordinal);
        return created.Id;
    }

    /// <summary>One user message as the input of a response.</summary>
    public static CreateResponseOptions Ask(string model, string text) => new(model, [ResponseItem.CreateUserMessageItem(text)]);

    /// <summary>Every update of a response created streamed (<paramref name="options"/> set to stream), in the order they arrived.</summary>
    public static async Task<List<StreamingResponseUpdate>> Stream(this ResponsesClient responses, CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        await using var stream = await responses.CreateResponseStreamingAsync(options);
        return await Read(stream);
    }

    /// <summary>A stored response's events streamed again, after <paramref name="startingAfter"/> when given.</summary>
    public static async Task<List<StreamingResponseUpdate>> StreamAgain(this ResponsesClient responses, string responseId, int? startingAfter = null)
    {
        await using var stream = await responses.GetResponseStreamingAsync(new GetResponseOptions(responseId) { StreamingEnabled = true, StartingAfter = startingAfter });
        return await Read(stream);
    }

    /// <summary>The text the output-text deltas of <paramref name="updates"/> add up to.</summary>
    public static string TextOf(IEnumerable<StreamingResponseUpdate> updates) =>
        string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta));

    /// <summary>The response a stream ended with: <c>response.completed</c>'s; fails the test if it ended otherwise.</summary>
    public static ResponseResult Completed(List<StreamingResponseUpdate> updates) =>
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;

    /// <summary>
    /// A conversation's items through the SDK's own auto-pagination (<c>GetRawPagesAsync</c>), with the
    /// number of pages it fetched; fails the test if the pagination does not end.
    /// </summary>
    public static async Task<(List<ResponseItem> Items, int Pages)> AllItems(this ConversationClient conversations, string conversationId, int? limit = null, string order = "asc")
    {
        var items = new List<ResponseItem>();
        var pages = 0;
        await foreach (ClientResult page in conversations.GetConversationItemsAsync(conversationId, limit: limit, order: order).GetRawPagesAsync())
        {
            pages++;
            Assert.True(pages <= MaxPages, $"the item pagination of {conversationId} did not end after {MaxPages} pages");
            items.AddRange(ItemsOf(page));
        }

        return (items, pages);
    }

    /// <summary>The items of one list page (<c>{object: "list", data: [...]}</c>), read as the SDK reads items.</summary>
    public static List<ResponseItem> ItemsOf(ClientResult page)
    {
        using var json = JsonDocument.Parse(page.GetRawResponse().Content);
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(item => ModelReaderWriter.Read<ResponseItem>(BinaryData.FromString(item.GetRawText()))!)];
    }

    /// <summary>
    /// An item as a line a person reads: <c>user: Hi</c>, <c>assistant: Hello</c>,
    /// <c>function_call get_weather {"city":"Paris"}</c>, <c>function_call_output 21C</c>.
    /// </summary>
    public static string Describe(ResponseItem item) => item switch
    {
        MessageResponseItem message => $"{message.Role.ToString().ToLowerInvariant()}: {string.Concat(message.Content.Select(part => part.Text))}",
        FunctionCallResponseItem call => $"function_call {call.FunctionName} {call.FunctionArguments}",
        FunctionCallOutputResponseItem output => $"function_call_output {output.FunctionOutput}",
        _ => $"unexpected {item.GetType().Name}",
    };

    private static async Task<List<StreamingResponseUpdate>> Read(AsyncStreamingResult<StreamingResponseUpdate> stream)
    {
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}
