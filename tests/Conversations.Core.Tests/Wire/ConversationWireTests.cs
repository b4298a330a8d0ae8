using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

public class ConversationWireTests
{
    // 2025-03-14T09:26:53+02:00 is 07:26:53 UTC: created_at must be the UTC instant, whatever the offset.
    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 14, 9, 26, 53, 999, TimeSpan.FromHours(2));
    private const long CreatedAtSeconds = 1_741_937_213;

    private static Conversation Make(
        ImmutableSortedDictionary<string, string>? metadata = null,
        ConversationSettings? settings = null,
        ConversationUsage? usage = null) =>
        new("conv_abc", "user_1", CreatedAt, metadata ?? ImmutableSortedDictionary<string, string>.Empty, settings ?? ConversationSettings.ForModel("gpt-4o-mini"), usage ?? ConversationUsage.None);

    [Fact]
    public void A_conversation_is_written_in_openais_shape_plus_settings_and_usage()
    {
        var json = Of(WireObjects.Conversation(Make()));

        Assert.Equal(["id", "object", "created_at", "metadata", "settings", "usage"], Keys(json));
        Assert.Equal("conv_abc", json.GetProperty("id").GetString());
        Assert.Equal("conversation", json.GetProperty("object").GetString());
    }

    [Fact]
    public void Created_at_is_whole_unix_seconds_of_the_utc_instant()
    {
        var createdAt = Of(WireObjects.Conversation(Make())).GetProperty("created_at");

        Assert.Equal(JsonValueKind.Number, createdAt.ValueKind);
        Assert.Equal(CreatedAtSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), createdAt.GetRawText());
    }

    [Fact]
    public void The_owner_is_not_shown()
    {
        var text = System.Text.Encoding.UTF8.GetString(WireJson.Serialize(WireObjects.Conversation(Make())));

        Assert.DoesNotContain("user_1", text);
        Assert.DoesNotContain("owner", text);
    }

    [Fact]
    public void Empty_metadata_is_an_empty_object()
    {
        var metadata = Of(WireObjects.Conversation(Make())).GetProperty("metadata");

        Assert.Equal(JsonValueKind.Object, metadata.ValueKind);
        Assert.Empty(Keys(metadata));
    }

    [Fact]
    public void Metadata_is_an_object_of_its_pairs_with_keys_as_sent()
    {
        var pairs = ImmutableSortedDictionary<string, string>.Empty.Add("project", "apollo").Add("Owner_Name", "Zoë 😀");

        var metadata = Of(WireObjects.Conversation(Make(metadata: pairs))).GetProperty("metadata");

        Assert.Equal(2, Keys(metadata).Length);
        Assert.Equal("apollo", metadata.GetProperty("project").GetString());
        Assert.Equal("Zoë 😀", metadata.GetProperty("Owner_Name").GetString());
    }

    [Fact]
    public void Unset_settings_are_written_as_nulls_with_snake_case_names()
    {
        var settings = Of(WireObjects.Conversation(Make())).GetProperty("settings");

        // truncation, added with context windows, always has a value: disabled unless set.
        Assert.Equal(["model", "instructions", "temperature", "top_p", "max_tokens", "truncation"], Keys(settings));
        Assert.Equal("gpt-4o-mini", settings.GetProperty("model").GetString());
        IsNull(settings, "instructions");
        IsNull(settings, "temperature");
        IsNull(settings, "top_p");
        IsNull(settings, "max_tokens");
        Assert.Equal("disabled", settings.GetProperty("truncation").GetString());
    }

    [Fact]
    public void Set_settings_are_written_with_their_values()
    {
        var settings = Of(WireObjects.Conversation(Make(settings: new ConversationSettings("o3", "Be brief.", 0.7, 0.25, 2048)))).GetProperty("settings");

        Assert.Equal("Be brief.", settings.GetProperty("instructions").GetString());
        Assert.Equal(0.7, settings.GetProperty("temperature").GetDouble());
        Assert.Equal("0.7", settings.GetProperty("temperature").GetRawText());
        Assert.Equal(0.25, settings.GetProperty("top_p").GetDouble());
        Assert.Equal(2048, settings.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void A_conversation_that_leaves_out_its_oldest_items_says_truncation_auto()
    {
        var settings = Of(WireObjects.Conversation(Make(settings: ConversationSettings.ForModel("gpt-4o") with { Truncation = Core.Responses.Truncation.Auto }))).GetProperty("settings");

        Assert.Equal("auto", settings.GetProperty("truncation").GetString());
    }

    [Fact]
    public void Usage_is_the_conversations_requests_and_tokens()
    {
        var usage = Of(WireObjects.Conversation(Make(usage: new ConversationUsage(3, new TokenUsage(100, 20))))).GetProperty("usage");

        Assert.Equal(["requests", "prompt_tokens", "completion_tokens", "total_tokens"], Keys(usage));
        Assert.Equal(
            (3L, 100L, 20L, 120L),
            (usage.GetProperty("requests").GetInt64(), usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64()));
    }

    [Fact]
    public void A_deleted_conversation_is_acknowledged_in_openais_shape()
    {
        var json = Of(WireObjects.ConversationDeleted("conv_abc"));

        Assert.Equal(["id", "object", "deleted"], Keys(json));
        Assert.Equal("conv_abc", json.GetProperty("id").GetString());
        Assert.Equal("conversation.deleted", json.GetProperty("object").GetString());
        Assert.True(json.GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public void A_list_of_conversations_is_written_with_its_cursor_ids()
    {
        ConversationObject[] data = [WireObjects.Conversation(Make()), WireObjects.Conversation(Make() with { Id = "conv_def" })];

        var json = Of(WireObjects.List(data, c => c.Id, hasMore: true));

        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
        Assert.Equal("conversation", json.GetProperty("data")[1].GetProperty("object").GetString());
        Assert.Equal(("conv_abc", "conv_def", true), (json.GetProperty("first_id").GetString(), json.GetProperty("last_id").GetString(), json.GetProperty("has_more").GetBoolean()));
    }

    [Fact]
    public void Models_are_listed_in_openais_shape()
    {
        var json = Of(WireObjects.Models([new ModelInfo("offline", 1_700_000_000, "conversations"), new ModelInfo("gpt-4o", 1_715_367_049, "system")]));

        Assert.Equal(["object", "data"], Keys(json));
        Assert.Equal("list", json.GetProperty("object").GetString());
        var first = json.GetProperty("data")[0];
        Assert.Equal(["id", "object", "created", "owned_by"], Keys(first));
        Assert.Equal(("offline", "model", 1_700_000_000L, "conversations"), (first.GetProperty("id").GetString(), first.GetProperty("object").GetString(), first.GetProperty("created").GetInt64(), first.GetProperty("owned_by").GetString()));
        Assert.Equal("gpt-4o", json.GetProperty("data")[1].GetProperty("id").GetString());
    }
}
