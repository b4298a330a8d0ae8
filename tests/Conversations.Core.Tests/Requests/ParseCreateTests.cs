using Conversations.Core.Items;
using System.Text.Json.Nodes;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Requests;

public class ParseCreateTests
{
    private static CreateConversation Create(string json) => Accepted(ConversationRequests.ParseCreate(Body(json)));

    private static void Refuses(string json, string param, string code) =>
        RefusedWith(ConversationRequests.ParseCreate(Body(json)), param, code);

    private static string MetadataBody(int pairs, Func<int, string>? key = null, Func<int, string>? value = null)
    {
        var metadata = new JsonObject();
        for (var i = 0; i < pairs; i++)
        {
            metadata[key?.Invoke(i) ?? $"key{i}"] = value?.Invoke(i) ?? $"value{i}";
        }

        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("""{"metadata":null,"settings":null,"items":null}""")]
    public void An_empty_request_creates_a_conversation_with_nothing_set(string json)
    {
        var request = Create(json);

        Assert.Empty(request.Metadata);
        Assert.Equal(SettingsPatch.None, request.Settings);
        Assert.Empty(request.Items);
    }

    [Fact]
    public void Metadata_is_kept_as_sent()
    {
        var request = Create("""{"metadata":{"project":"apollo","owner":"ana"}}""");

        Assert.Equal(
            [new("owner", "ana"), new("project", "apollo")],
            request.Metadata.ToArray());
    }

    [Fact]
    public void Metadata_keeps_unicode_keys_and_values()
    {
        var request = Create("""{"metadata":{"名前":"😀 café","emoji😀":"\u00e9"}}""");

        Assert.Equal("😀 café", request.Metadata["名前"]);
        Assert.Equal("é", request.Metadata["emoji😀"]);
    }

    [Fact]
    public void Metadata_may_hold_exactly_16_pairs()
    {
        var request = Create(MetadataBody(16));

        Assert.Equal(16, request.Metadata.Count);
        Assert.Equal("value15", request.Metadata["key15"]);
    }

    [Fact]
    public void Metadata_with_17_pairs_is_refused()
    {
        Refuses(MetadataBody(17), "metadata", "invalid_value");
    }

    [Fact]
    public void A_repeated_metadata_key_counts_once_and_its_last_value_wins()
    {
        var body = MetadataBody(16).Replace("\"key0\":\"value0\"", "\"key0\":\"first\",\"key0\":\"last\"", StringComparison.Ordinal);

        var request = Create(body);

        Assert.Equal(16, request.Metadata.Count);
        Assert.Equal("last", request.Metadata["key0"]);
    }

    [Fact]
    public void A_metadata_key_of_64_characters_is_accepted()
    {
        var key = new string('k', 64);

        var request = Create(MetadataBody(1, key: _ => key));

        Assert.Equal("value0", request.Metadata[key]);
    }

    [Fact]
    public void A_metadata_key_of_65_characters_is_refused_naming_the_key()
    {
        var key = new string('k', 65);

        Refuses(MetadataBody(1, key: _ => key), $"metadata.{key}", "invalid_value");
    }

    [Fact]
    public void An_empty_metadata_key_is_refused()
    {
        Refuses("""{"metadata":{"":"v"}}""", "metadata.", "invalid_value");
    }

    [Fact]
    public void A_metadata_value_of_512_characters_is_accepted()
    {
        var value = new string('v', 512);

        var request = Create(MetadataBody(1, value: _ => value));

        Assert.Equal(value, request.Metadata["key0"]);
    }

    [Fact]
    public void A_metadata_value_of_513_characters_is_refused_naming_the_key()
    {
        Refuses(MetadataBody(1, value: _ => new string('v', 513)), "metadata.key0", "invalid_value");
    }

    [Fact]
    public void Metadata_lengths_count_characters_not_utf16_units()
    {
        // An emoji is one character but two UTF-16 units; the limits are in characters.
        var key = string.Concat(Enumerable.Repeat("😀", 64));
        var value = string.Concat(Enumerable.Repeat("🎉", 512));

        var request = Create(MetadataBody(1, key: _ => key, value: _ => value));

        Assert.Equal(value, request.Metadata[key]);
    }

    [Fact]
    public void A_metadata_key_of_65_emoji_is_refused()
    {
        var key = string.Concat(Enumerable.Repeat("😀", 65));

        Refuses(MetadataBody(1, key: _ => key), $"metadata.{key}", "invalid_value");
    }

    [Fact]
    public void A_metadata_value_of_513_emoji_is_refused()
    {
        Refuses(MetadataBody(1, value: _ => string.Concat(Enumerable.Repeat("🎉", 513))), "metadata.key0", "invalid_value");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("""{"nested":"x"}""")]
    [InlineData("""["x"]""")]
    public void A_metadata_value_that_is_not_a_string_is_refused_naming_the_key(string value)
    {
        Refuses($$$"""{"metadata":{"tier":{{{value}}}}}""", "metadata.tier", "invalid_type");
    }

    [Theory]
    [InlineData("""["a","b"]""")]
    [InlineData("\"a=b\"")]
    [InlineData("5")]
    public void Metadata_that_is_not_an_object_is_refused(string metadata)
    {
        Refuses($$"""{"metadata":{{metadata}}}""", "metadata", "invalid_type");
    }

    [Fact]
    public void Settings_sent_on_create_are_all_taken()
    {
        var request = Create("""
            {"settings":{"model":"gpt-4o-mini","instructions":"Be brief.","temperature":0.7,"top_p":0.9,"max_tokens":256}}
            """);

        Assert.Equal(
            new SettingsPatch(
                Change<string>.To("gpt-4o-mini"),
                Change<string>.To("Be brief."),
                Change<double?>.To(0.7),
                Change<double?>.To(0.9),
                Change<int?>.To(256)),
            request.Settings);
    }

    [Fact]
    public void Settings_left_out_are_kept_and_settings_sent_as_null_are_cleared()
    {
        var request = Create("""{"settings":{"temperature":null,"max_tokens":null}}""");

        Assert.Equal(
            new SettingsPatch(
                Change<string>.Keep,
                Change<string>.Keep,
                Change<double?>.To(null),
                Change<double?>.Keep,
                Change<int?>.To(null)),
            request.Settings);
    }

    [Fact]
    public void Null_instructions_clear_the_instructions()
    {
        var request = Create("""{"settings":{"instructions":null}}""");

        Assert.Equal(Change<string>.To(""), request.Settings.Instructions);
    }

    [Fact]
    public void Max_completion_tokens_is_read_as_max_tokens()
    {
        var request = Create("""{"settings":{"max_completion_tokens":1024}}""");

        Assert.Equal(Change<int?>.To(1024), request.Settings.MaxTokens);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("2", 2.0)]
    [InlineData("1.25", 1.25)]
    [InlineData("2e0", 2.0)]
    [InlineData("-0", 0.0)]
    public void A_temperature_between_0_and_2_is_accepted(string temperature, double expected)
    {
        var request = Create($$$"""{"settings":{"temperature":{{{temperature}}}}}""");

        Assert.Equal(Change<double?>.To(expected), request.Settings.Temperature);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("2.0000001")]
    [InlineData("-0.1")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void A_temperature_outside_0_to_2_is_refused_as_an_invalid_value(string temperature)
    {
        Refuses($$$"""{"settings":{"temperature":{{{temperature}}}}}""", "settings.temperature", "invalid_value");
    }

    [Fact]
    public void An_out_of_range_number_is_described_by_its_range_and_the_value_sent()
    {
        var error = Refused(ConversationRequests.ParseCreate(Body("""{"settings":{"temperature":1e400}}""")));

        Assert.Contains("between 0 and 2", error.Message);
        Assert.Contains("1e400", error.Message);
    }

    [Theory]
    [InlineData("\"hot\"")]
    [InlineData("\"0.5\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public void A_temperature_that_is_not_a_number_is_refused_as_an_invalid_type(string temperature)
    {
        Refuses($$$"""{"settings":{"temperature":{{{temperature}}}}}""", "settings.temperature", "invalid_type");
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.95", 0.95)]
    public void A_top_p_between_0_and_1_is_accepted(string topP, double expected)
    {
        var request = Create($$$"""{"settings":{"top_p":{{{topP}}}}}""");

        Assert.Equal(Change<double?>.To(expected), request.Settings.TopP);
    }

    [Theory]
    [InlineData("1.01", "invalid_value")]
    [InlineData("-0.5", "invalid_value")]
    [InlineData("\"all\"", "invalid_type")]
    public void A_top_p_outside_0_to_1_or_not_a_number_is_refused(string topP, string code)
    {
        Refuses($$$"""{"settings":{"top_p":{{{topP}}}}}""", "settings.top_p", code);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1000000", 1_000_000)]
    [InlineData("1e0", 1)]
    [InlineData("1.0", 1)]
    [InlineData("256.0", 256)]
    [InlineData("2.56e2", 256)]
    [InlineData("1E3", 1000)]
    public void Max_tokens_accepts_whole_numbers_from_1_to_a_million_however_written(string maxTokens, int expected)
    {
        var request = Create($$$"""{"settings":{"max_tokens":{{{maxTokens}}}}}""");

        Assert.Equal(Change<int?>.To(expected), request.Settings.MaxTokens);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-5")]
    [InlineData("1000001")]
    [InlineData("0.0")]
    [InlineData("1e7")]
    [InlineData("99999999999999999999")]
    [InlineData("1e400")]
    public void Max_tokens_outside_1_to_a_million_is_refused_as_an_invalid_value(string maxTokens)
    {
        Refuses($$$"""{"settings":{"max_tokens":{{{maxTokens}}}}}""", "settings.max_tokens", "invalid_value");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e-1")]
    [InlineData("\"100\"")]
    [InlineData("true")]
    public void Max_tokens_that_is_not_a_whole_number_is_refused_as_an_invalid_type(string maxTokens)
    {
        Refuses($$$"""{"settings":{"max_tokens":{{{maxTokens}}}}}""", "settings.max_tokens", "invalid_type");
    }

    [Fact]
    public void An_invalid_max_completion_tokens_is_refused_under_its_own_name()
    {
        Refuses("""{"settings":{"max_completion_tokens":0}}""", "settings.max_completion_tokens", "invalid_value");
    }

    [Fact]
    public void A_model_name_of_256_characters_is_accepted()
    {
        var model = new string('m', 256);

        var request = Create($$$"""{"settings":{"model":"{{{model}}}"}}""");

        Assert.Equal(Change<string>.To(model), request.Settings.Model);
    }

    [Theory]
    [InlineData("\"\"", "invalid_value")]
    [InlineData("null", "invalid_type")]
    [InlineData("42", "invalid_type")]
    public void A_model_that_is_empty_or_not_a_string_is_refused(string model, string code)
    {
        Refuses($$$"""{"settings":{"model":{{{model}}}}}""", "settings.model", code);
    }

    [Fact]
    public void A_model_name_of_257_characters_is_refused()
    {
        Refuses($$$"""{"settings":{"model":"{{{new string('m', 257)}}}"}}""", "settings.model", "invalid_value");
    }

    [Fact]
    public void Instructions_of_256000_characters_are_accepted_and_one_more_is_refused()
    {
        var atLimit = new JsonObject { ["settings"] = new JsonObject { ["instructions"] = new string('i', 256_000) } }.ToJsonString();
        var overLimit = new JsonObject { ["settings"] = new JsonObject { ["instructions"] = new string('i', 256_001) } }.ToJsonString();

        Assert.Equal(256_000, Create(atLimit).Settings.Instructions.Value.Length);
        Refuses(overLimit, "settings.instructions", "invalid_value");
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("stream")]
    [InlineData("Temperature")]
    public void An_unknown_settings_field_is_refused_naming_it_under_settings(string field)
    {
        Refuses($$$"""{"settings":{"temperature":1,"{{{field}}}":1}}""", $"settings.{field}", "unknown_parameter");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"gpt-4o\"")]
    [InlineData("true")]
    public void Settings_that_are_not_an_object_are_refused(string settings)
    {
        Refuses($$"""{"settings":{{settings}}}""", "settings", "invalid_type");
    }

    [Theory]
    [InlineData("model")]
    [InlineData("messages")]
    [InlineData("conversation_id")]
    [InlineData("Metadata")]
    public void An_unknown_top_level_field_is_refused_naming_it(string field)
    {
        var error = Refused(ConversationRequests.ParseCreate(Body($$"""{"metadata":{},"{{field}}":"x"}""")));

        Assert.Equal((field, "unknown_parameter"), (error.Param, error.Code));
        Assert.Contains($"'{field}'", error.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{}]")]
    [InlineData("\"hello\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_body_that_is_not_an_object_is_refused_as_an_invalid_type(string json)
    {
        var error = RefusedWith(ConversationRequests.ParseCreate(Body(json)), "", "invalid_type");

        Assert.Contains("request body", error.Message);
        Assert.DoesNotContain("''", error.Message);
    }

    [Fact]
    public void Seed_items_keep_their_roles_content_and_order()
    {
        var request = Create("""
            {"items":[
              {"role":"system","content":"You are terse."},
              {"role":"developer","content":"Answer in French."},
              {"type":"message","role":"user","content":"Hello"},
              {"role":"assistant","content":"Bonjour"}
            ]}
            """);

        Assert.Equal(
            [
                (MessageRole.System, "You are terse."),
                (MessageRole.Developer, "Answer in French."),
                (MessageRole.User, "Hello"),
                (MessageRole.Assistant, "Bonjour"),
            ],
            request.Items.Select(item => (((MessageItem)item).Role, ((MessageItem)item).Text)).ToArray());
    }

    [Fact]
    public void Seed_item_content_may_be_an_array_of_text_parts_joined_in_order()
    {
        var request = Create("""
            {"items":[
              {"role":"user","content":[{"type":"input_text","text":"Hello, "},{"type":"text","text":"world"}]},
              {"role":"assistant","content":[{"type":"output_text","text":"Hi!","annotations":[]}]}
            ]}
            """);

        Assert.Equal("Hello, world", ((MessageItem)request.Items[0]).Text);
        Assert.Equal("Hi!", ((MessageItem)request.Items[1]).Text);
    }

    [Fact]
    public void Twenty_seed_items_are_accepted()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 20).Select(i => new JsonObject { ["role"] = "user", ["content"] = $"m{i}" })]);

        var request = Create(new JsonObject { ["items"] = items }.ToJsonString());

        Assert.Equal(20, request.Items.Length);
        Assert.Equal("m19", ((MessageItem)request.Items[19]).Text);
    }

    [Fact]
    public void Twenty_one_seed_items_are_refused()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 21).Select(i => new JsonObject { ["role"] = "user", ["content"] = $"m{i}" })]);

        Refuses(new JsonObject { ["items"] = items }.ToJsonString(), "items", "invalid_value");
    }

    [Theory]
    [InlineData("\"tool\"", "invalid_value")]
    [InlineData("\"User\"", "invalid_value")]
    [InlineData("\"\"", "invalid_value")]
    [InlineData("1", "invalid_type")]
    [InlineData("null", "invalid_type")]
    public void A_seed_item_with_a_role_other_than_the_four_is_refused_naming_its_index(string role, string code)
    {
        Refuses($$"""
            {"items":[
              {"role":"user","content":"a"},
              {"role":"assistant","content":"b"},
              {"role":{{role}},"content":"c"}
            ]}
            """, "items[2].role", code);
    }

    [Fact]
    public void A_seed_item_without_a_role_is_refused()
    {
        Refuses("""{"items":[{"content":"c"}]}""", "items[0].role", "missing_required_parameter");
    }

    [Theory]
    [InlineData("""{"role":"user"}""")]
    [InlineData("""{"role":"user","content":null}""")]
    public void A_seed_item_without_content_is_refused(string item)
    {
        Refuses($$"""{"items":[{"role":"user","content":"ok"},{{item}}]}""", "items[1].content", "missing_required_parameter");
    }

    [Theory]
    [InlineData("7")]
    [InlineData("{}")]
    [InlineData("true")]
    public void A_seed_item_whose_content_is_neither_text_nor_parts_is_refused(string content)
    {
        Refuses($$"""{"items":[{"role":"user","content":{{content}}}]}""", "items[0].content", "invalid_type");
    }

    [Fact]
    public void A_seed_item_of_another_type_is_refused()
    {
        // Function calls and their outputs are items a conversation holds now; a reasoning item has no
        // Chat Completions equivalent, so it is refused.
        Refuses("""{"items":[{"type":"reasoning","role":"user","content":"x"}]}""", "items[0].type", "invalid_value");
    }

    [Fact]
    public void An_unknown_field_in_a_seed_item_is_refused_naming_its_path()
    {
        Refuses("""{"items":[{"role":"user","content":"x"},{"role":"user","content":"y","name":"ana"}]}""", "items[1].name", "unknown_parameter");
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("{}")]
    public void Items_that_are_not_an_array_are_refused(string items)
    {
        Refuses($$"""{"items":{{items}}}""", "items", "invalid_type");
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("[]")]
    [InlineData("null")]
    public void A_seed_item_that_is_not_an_object_is_refused_naming_its_index(string item)
    {
        Refuses($$"""{"items":[{"role":"user","content":"a"},{{item}}]}""", "items[1]", "invalid_type");
    }

    [Theory]
    [InlineData("""["hello"]""", "items[0].content[0]", "invalid_type")]
    [InlineData("""[{"text":"hello"}]""", "items[0].content[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":5,"text":"hello"}]""", "items[0].content[0].type", "invalid_type")]
    [InlineData("""[{"type":"input_text","text":"a"},{"type":"input_audio","input_audio":{}}]""", "items[0].content[1].type", "invalid_value")]
    [InlineData("""[{"type":"input_text"}]""", "items[0].content[0].text", "missing_required_parameter")]
    [InlineData("""[{"type":"input_text","text":7}]""", "items[0].content[0].text", "invalid_type")]
    public void A_bad_content_part_is_refused_naming_its_path(string content, string param, string code)
    {
        Refuses($$"""{"items":[{"role":"user","content":{{content}}}]}""", param, code);
    }

    [Fact]
    public void The_first_problem_in_field_order_is_the_one_reported()
    {
        // Unknown fields are found before any field is read, so a typo is named even beside other faults.
        Refuses("""{"metadata":5,"itemz":[]}""", "itemz", "unknown_parameter");
    }

    [Theory]
    [InlineData("""{"metadata":{"k":"v\u0000"}}""", "metadata.k")]
    [InlineData("""{"settings":{"instructions":"be \u0000 brief"}}""", "settings.instructions")]
    [InlineData("""{"items":[{"role":"user","content":"\u0000"}]}""", "items[0].content")]
    public void The_nul_character_is_refused_in_metadata_settings_and_items(string json, string param)
    {
        RefusedWith(ConversationRequests.ParseCreate(Body(json)), param, "invalid_value");
    }
}
