using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Conversations.ApiHost.Tests.Infrastructure;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// A conversation's items through the SDK's <c>ConversationClient</c>: items added without a model call,
/// listed a page at a time (<c>limit</c>, <c>after</c>, <c>order</c>) with an auto-pagination that ends,
/// read and deleted one by one; and the conversation itself created with items, given new metadata and
/// deleted.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ConversationItemTests(UpstreamHostFixture fixture)
{
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    private static readonly ResponseItem[] FiveItems =
    [
        ResponseItem.CreateUserMessageItem("What is the weather in Paris?"),
        ResponseItem.CreateFunctionCallItem("call_weather1", "get_weather", BinaryData.FromString("""{"city":"Paris"}""")),
        ResponseItem.CreateFunctionCallOutputItem("call_weather1", "21C and sunny"),
        ResponseItem.CreateAssistantMessageItem("It is 21C and sunny in Paris."),
        ResponseItem.CreateUserMessageItem("Thanks!"),
    ];

    private static readonly string[] FiveDescribed =
    [
        "user: What is the weather in Paris?",
        """function_call get_weather {"city":"Paris"}""",
        "function_call_output 21C and sunny",
        "assistant: It is 21C and sunny in Paris.",
        "user: Thanks!",
    ];

    [Fact]
    public async Task Added_items_come_back_with_fresh_ids_of_their_kind_in_order()
    {
        var conversationId = await _conversations.NewConversation();

        ClientResult added = await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems));

        var returned = Sdk.ItemsOf(added);
        Assert.Equal(FiveDescribed, returned.Select(Sdk.Describe));
        Assert.Equal(["msg_", "fc_", "fco_", "msg_", "msg_"], returned.Select(i => i.Id[..(i.Id.IndexOf('_') + 1)]));
        var call = Assert.IsType<FunctionCallResponseItem>(returned[1]);
        Assert.Equal("call_weather1", call.CallId);
        Assert.Equal("call_weather1", Assert.IsType<FunctionCallOutputResponseItem>(returned[2]).CallId);
        var (listed, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(returned.Select(i => i.Id), listed.Select(i => i.Id));
    }

    [Fact]
    public async Task The_sdks_auto_pagination_walks_every_page_once_and_ends()
    {
        var conversationId = await _conversations.NewConversation();
        await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems));

        var (oldestFirst, ascendingPages) = await _conversations.AllItems(conversationId, limit: 2, order: "asc");
        var (newestFirst, descendingPages) = await _conversations.AllItems(conversationId, limit: 2, order: "desc");
        var (onePage, pagesOfTen) = await _conversations.AllItems(conversationId, limit: 10);

        Assert.Equal(FiveDescribed, oldestFirst.Select(Sdk.Describe));
        Assert.Equal(3, ascendingPages);
        Assert.Equal(FiveDescribed.Reverse(), newestFirst.Select(Sdk.Describe));
        Assert.Equal(3, descendingPages);
        Assert.Equal(FiveDescribed, onePage.Select(Sdk.Describe));
        Assert.Equal(1, pagesOfTen);
    }

    [Fact]
    public async Task Listing_with_an_include_value_the_sdk_offers_lists_the_same_items()
    {
        var conversationId = await _conversations.NewConversation();
        await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems));
        var items = new List<ResponseItem>();

        await foreach (ClientResult page in _conversations.GetConversationItemsAsync(
            conversationId, limit: 2, order: "asc", include: [IncludedConversationItemProperty.MessageOutputTextLogProbabilities]).GetRawPagesAsync())
        {
            items.AddRange(Sdk.ItemsOf(page));
            Assert.True(items.Count <= FiveItems.Length, "the pagination did not end");
        }

        Assert.Equal(FiveDescribed, items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task A_page_after_an_item_starts_right_after_it_and_says_whether_more_follow()
    {
        var conversationId = await _conversations.NewConversation();
        var ids = Sdk.ItemsOf(await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems))).Select(i => i.Id).ToList();

        var middle = await FirstPage(conversationId, limit: 2, after: ids[0]);
        var end = await FirstPage(conversationId, limit: 2, after: ids[2]);
        var newestFirst = await FirstPage(conversationId, limit: 2, after: ids[4], order: "desc");

        Assert.Equal(ids[1..3], Ids(middle));
        Assert.True(middle.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[1], middle.GetProperty("first_id").GetString());
        Assert.Equal(ids[2], middle.GetProperty("last_id").GetString());
        Assert.Equal(ids[3..], Ids(end));
        Assert.False(end.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[4], end.GetProperty("last_id").GetString());
        Assert.Equal([ids[3], ids[2]], Ids(newestFirst));
        Assert.True(newestFirst.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task One_item_reads_back_and_once_deleted_is_gone_from_the_conversation()
    {
        var conversationId = await _conversations.NewConversation();
        var ids = Sdk.ItemsOf(await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems))).Select(i => i.Id).ToList();

        ClientResult read = await _conversations.GetConversationItemAsync(conversationId, ids[1]);
        var item = ModelReaderWriter.Read<ResponseItem>(read.GetRawResponse().Content)!;
        ClientResult deleted = await _conversations.DeleteConversationItemAsync(conversationId, ids[3]);

        Assert.Equal(ids[1], item.Id);
        Assert.Equal(FiveDescribed[1], Sdk.Describe(item));
        Assert.Equal(200, deleted.GetRawResponse().Status);
        using (var conversation = JsonDocument.Parse(deleted.GetRawResponse().Content))
        {
            Assert.Equal(conversationId, conversation.RootElement.GetProperty("id").GetString());
            Assert.Equal("conversation", conversation.RootElement.GetProperty("object").GetString());
        }

        var gone = await Assert.ThrowsAsync<ClientResultException>(() => _conversations.GetConversationItemAsync(conversationId, ids[3]));
        Assert.Equal(404, gone.Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _conversations.DeleteConversationItemAsync(conversationId, ids[3]))).Status);
        var (left, _) = await _conversations.AllItems(conversationId);
        Assert.Equal([.. ids[..3], ids[4]], left.Select(i => i.Id));
    }

    [Fact]
    public async Task A_conversation_created_with_items_and_metadata_lists_them_and_takes_new_metadata()
    {
        var options = new ConversationCreationOptions();
        options.Metadata["topic"] = "weather";
        foreach (var item in FiveItems)
        {
            options.Items.Add(item);
        }

        ConversationResource created = await _conversations.CreateConversationAsync(options);
        var update = new ConversationUpdateOptions();
        update.Metadata["topic"] = "travel";
        update.Metadata["city"] = "Paris";
        ConversationResource updated = await _conversations.UpdateConversationAsync(created.Id, update);
        ConversationResource read = await _conversations.GetConversationAsync(created.Id);

        Assert.Equal("weather", created.Metadata["topic"]);
        Assert.InRange(created.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var (items, _) = await _conversations.AllItems(created.Id);
        Assert.Equal(FiveDescribed, items.Select(Sdk.Describe));
        Assert.Equal(new Dictionary<string, string> { ["topic"] = "travel", ["city"] = "Paris" }, updated.Metadata.ToDictionary());
        Assert.Equal(updated.Metadata.ToDictionary(), read.Metadata.ToDictionary());
        Assert.Equal(created.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task A_deleted_conversation_and_its_items_answer_404()
    {
        var conversationId = await _conversations.NewConversation();
        var ids = Sdk.ItemsOf(await _conversations.CreateConversationItemsAsync(conversationId, ItemsBody(FiveItems[..1]))).Select(i => i.Id).ToList();

        ConversationDeletionResult deleted = await _conversations.DeleteConversationAsync(conversationId);

        Assert.True(deleted.Deleted);
        Assert.Equal(conversationId, deleted.ConversationId);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _conversations.GetConversationAsync(conversationId))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _conversations.GetConversationItemAsync(conversationId, ids[0]))).Status);
    }

    /// <summary><c>{"items": [...]}</c> with each item as the SDK writes it.</summary>
    private static BinaryContent ItemsBody(IEnumerable<ResponseItem> items)
    {
        var array = new JsonArray([.. items.Select(item => JsonNode.Parse(ModelReaderWriter.Write(item).ToString()))]);
        return BinaryContent.Create(BinaryData.FromString(new JsonObject { ["items"] = array }.ToJsonString()));
    }

    private async Task<JsonElement> FirstPage(string conversationId, int limit, string after, string order = "asc")
    {
        await foreach (ClientResult page in _conversations.GetConversationItemsAsync(conversationId, limit: limit, order: order, after: after).GetRawPagesAsync())
        {
            return JsonDocument.Parse(page.GetRawResponse().Content).RootElement;
        }

        throw new InvalidOperationException("The SDK returned no page at all.");
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
