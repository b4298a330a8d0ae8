using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Requests;

public class ParseUpdateTests
{
    private static UpdateConversation Update(string json) => Accepted(ConversationRequests.ParseUpdate(Body(json)));

    private static void Refuses(string json, string param, string code) =>
        RefusedWith(ConversationRequests.ParseUpdate(Body(json)), param, code);

    [Fact]
    public void Metadata_sent_on_update_is_the_new_set()
    {
        var request = Update("""{"metadata":{"stage":"review"}}""");

        Assert.True(request.Metadata.IsSet);
        Assert.Equal([new("stage", "review")], request.Metadata.Value.ToArray());
        Assert.Equal(SettingsPatch.None, request.Settings);
    }

    [Theory]
    [InlineData("""{"metadata":null}""")]
    [InlineData("""{"metadata":{}}""")]
    public void Null_or_empty_metadata_clears_it(string json)
    {
        var request = Update(json);

        Assert.True(request.Metadata.IsSet);
        Assert.Empty(request.Metadata.Value);
    }

    [Fact]
    public void Metadata_left_out_of_an_update_is_kept()
    {
        var request = Update("""{"settings":{"model":"gpt-4.1"}}""");

        Assert.False(request.Metadata.IsSet);
        var current = ImmutableSortedDictionary<string, string>.Empty.Add("k", "v");
        Assert.Same(current, request.Metadata.ApplyTo(current));
    }

    [Fact]
    public void A_settings_patch_names_only_what_changes()
    {
        var request = Update("""{"settings":{"temperature":null,"top_p":0.5}}""");

        Assert.Equal(
            new SettingsPatch(Change<string>.Keep, Change<string>.Keep, Change<double?>.To(null), Change<double?>.To(0.5), Change<int?>.Keep),
            request.Settings);
    }

    [Fact]
    public void An_empty_settings_object_is_an_update_that_changes_nothing()
    {
        var request = Update("""{"settings":{}}""");

        Assert.Equal(SettingsPatch.None, request.Settings);
        Assert.False(request.Metadata.IsSet);
    }

    [Fact]
    public void Max_completion_tokens_is_read_as_max_tokens_on_update()
    {
        Assert.Equal(Change<int?>.To(64), Update("""{"settings":{"max_completion_tokens":64}}""").Settings.MaxTokens);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    public void An_update_with_nothing_to_change_is_refused(string json)
    {
        Refuses(json, "", "missing_required_parameter");
    }

    [Theory]
    [InlineData("items")]
    [InlineData("id")]
    [InlineData("model")]
    public void Fields_that_cannot_be_updated_are_refused_as_unknown(string field)
    {
        Refuses($$"""{"metadata":{},"{{field}}":[]}""", field, "unknown_parameter");
    }

    [Fact]
    public void An_unknown_settings_field_is_refused_naming_it_under_settings()
    {
        Refuses("""{"settings":{"foo":1}}""", "settings.foo", "unknown_parameter");
    }

    [Theory]
    [InlineData("""{"settings":{"temperature":2.5}}""", "settings.temperature", "invalid_value")]
    [InlineData("""{"settings":{"temperature":"hot"}}""", "settings.temperature", "invalid_type")]
    [InlineData("""{"settings":{"model":""}}""", "settings.model", "invalid_value")]
    [InlineData("""{"settings":{"max_tokens":0}}""", "settings.max_tokens", "invalid_value")]
    [InlineData("""{"settings":[]}""", "settings", "invalid_type")]
    [InlineData("""{"metadata":[]}""", "metadata", "invalid_type")]
    [InlineData("""{"metadata":{"k":1}}""", "metadata.k", "invalid_type")]
    public void Invalid_fields_are_refused_on_update_as_on_create(string json, string param, string code)
    {
        Refuses(json, param, code);
    }

    [Fact]
    public void Metadata_limits_apply_on_update()
    {
        var metadata = new JsonObject();
        for (var i = 0; i < 17; i++)
        {
            metadata[$"k{i}"] = "v";
        }

        Refuses(new JsonObject { ["metadata"] = metadata }.ToJsonString(), "metadata", "invalid_value");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"metadata\"")]
    [InlineData("0")]
    public void A_body_that_is_not_an_object_is_refused_as_an_invalid_type(string json)
    {
        Refuses(json, "", "invalid_type");
    }

    [Theory]
    [InlineData("""{"settings":{"truncation":"auto"}}""", Core.Responses.Truncation.Auto)]
    [InlineData("""{"settings":{"truncation":"disabled"}}""", Core.Responses.Truncation.Disabled)]
    [InlineData("""{"settings":{"truncation":null}}""", Core.Responses.Truncation.Disabled)]
    public void A_conversations_truncation_is_set_and_null_puts_back_the_default(string json, Core.Responses.Truncation truncation)
    {
        var settings = Update(json).Settings;

        Assert.Equal(Change<Core.Responses.Truncation>.To(truncation), settings.Truncation);
        Assert.False(Update("""{"settings":{"model":"gpt-4.1"}}""").Settings.Truncation.IsSet);
    }

    [Theory]
    [InlineData("""{"settings":{"truncation":"sometimes"}}""", "invalid_value")]
    [InlineData("""{"settings":{"truncation":true}}""", "invalid_type")]
    public void An_unknown_truncation_is_refused_naming_it(string json, string code)
    {
        Refuses(json, "settings.truncation", code);
    }
}
