using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;

namespace Conversations.Core.Tests.Conversations;

public class ConversationRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(2));
    private static readonly ConversationSettings Defaults = new("gpt-4o-mini", "Be helpful.", 0.7, null, 512);

    private static ImmutableSortedDictionary<string, string> Metadata(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static CreateConversation CreateRequest(
        SettingsPatch? settings = null,
        ImmutableSortedDictionary<string, string>? metadata = null,
        params Item[] items) =>
        new(metadata ?? Metadata(), settings ?? SettingsPatch.None, [.. items]);

    [Fact]
    public void A_new_conversation_takes_the_defaults_when_no_settings_are_sent()
    {
        var (conversation, items) = ConversationRules.Open("conv_1", "user_1", Now, CreateRequest(), Defaults, []);

        Assert.Equal(("conv_1", "user_1", Now), (conversation.Id, conversation.OwnerId, conversation.CreatedAt));
        Assert.Equal(Defaults, conversation.Settings);
        Assert.Empty(conversation.Metadata);
        Assert.Equal(ConversationUsage.None, conversation.Usage);
        Assert.Empty(items);
    }

    [Fact]
    public void Settings_sent_on_create_replace_only_those_defaults()
    {
        var patch = SettingsPatch.None with { Model = Change<string>.To("llama3"), Temperature = Change<double?>.To(null) };

        var (conversation, _) = ConversationRules.Open("conv_1", "user_1", Now, CreateRequest(patch), Defaults, []);

        Assert.Equal(new ConversationSettings("llama3", "Be helpful.", null, null, 512), conversation.Settings);
    }

    [Fact]
    public void A_new_conversation_keeps_its_metadata()
    {
        var metadata = Metadata(("project", "apollo"));

        var (conversation, _) = ConversationRules.Open("conv_1", "user_1", Now, CreateRequest(metadata: metadata), Defaults, []);

        Assert.Equal(metadata, conversation.Metadata);
    }

    [Fact]
    public void Seed_items_are_numbered_from_1_with_the_given_ids_and_the_creation_time()
    {
        var request = CreateRequest(
            items:
            [
                Said(MessageRole.System, "Be terse."),
                Said(MessageRole.User, "Hi"),
                Said(MessageRole.Assistant, "Hello."),
            ]);

        var (_, items) = ConversationRules.Open("conv_1", "user_1", Now, request, Defaults, ["msg_a", "msg_b", "msg_c"]);

        Assert.Equal<Item>(
            [
                new MessageItem("msg_a", 1, ItemStatus.Completed, Now, null, MessageRole.System, [new ContentPart.InputText("Be terse.")]),
                new MessageItem("msg_b", 2, ItemStatus.Completed, Now, null, MessageRole.User, [new ContentPart.InputText("Hi")]),
                new MessageItem("msg_c", 3, ItemStatus.Completed, Now, null, MessageRole.Assistant, [ContentPart.OutputText.Of("Hello.")]),
            ],
            items.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Opening_with_a_wrong_number_of_item_ids_is_a_programming_error(int ids)
    {
        var request = CreateRequest(items: [Said(MessageRole.User, "Hi")]);

        Assert.Throws<ArgumentException>(() =>
            ConversationRules.Open("conv_1", "user_1", Now, request, Defaults, [.. Enumerable.Range(0, ids).Select(i => $"msg_{i}")]));
    }

    /// <summary>A seed item as the request parser gives it: no id, position or time yet.</summary>
    private static Item Said(MessageRole role, string text) =>
        new MessageItem("", 0, ItemStatus.Completed, default, null, role,
            [role == MessageRole.Assistant ? ContentPart.OutputText.Of(text) : new ContentPart.InputText(text)]);

    private static Conversation Existing() =>
        new("conv_1", "user_1", Now, Metadata(("a", "1"), ("b", "2")), Defaults, new ConversationUsage(3, new TokenUsage(120, 45)));

    [Fact]
    public void Updated_metadata_replaces_the_old_set_rather_than_merging()
    {
        var request = new UpdateConversation(Change<ImmutableSortedDictionary<string, string>>.To(Metadata(("c", "3"))), SettingsPatch.None);

        var updated = ConversationRules.Update(Existing(), request);

        Assert.Equal(Metadata(("c", "3")), updated.Metadata);
    }

    [Fact]
    public void An_update_that_leaves_metadata_out_keeps_it()
    {
        var request = new UpdateConversation(Change<ImmutableSortedDictionary<string, string>>.Keep, SettingsPatch.None with { TopP = Change<double?>.To(0.5) });

        var updated = ConversationRules.Update(Existing(), request);

        Assert.Equal(Existing().Metadata, updated.Metadata);
        Assert.Equal(0.5, updated.Settings.TopP);
    }

    [Fact]
    public void An_update_keeps_identity_owner_creation_time_and_usage()
    {
        var before = Existing();
        var request = new UpdateConversation(
            Change<ImmutableSortedDictionary<string, string>>.To(Metadata()),
            SettingsPatch.None with { Model = Change<string>.To("other") });

        var updated = ConversationRules.Update(before, request);

        Assert.Equal(
            (before.Id, before.OwnerId, before.CreatedAt, before.Usage),
            (updated.Id, updated.OwnerId, updated.CreatedAt, updated.Usage));
    }

    public static TheoryData<SettingsPatch, ConversationSettings> OneFieldPatches => new()
    {
        { SettingsPatch.None, Defaults },
        { SettingsPatch.None with { Model = Change<string>.To("o3") }, Defaults with { Model = "o3" } },
        { SettingsPatch.None with { Instructions = Change<string>.To("") }, Defaults with { Instructions = "" } },
        { SettingsPatch.None with { Instructions = Change<string>.To("New rules.") }, Defaults with { Instructions = "New rules." } },
        { SettingsPatch.None with { Temperature = Change<double?>.To(null) }, Defaults with { Temperature = null } },
        { SettingsPatch.None with { Temperature = Change<double?>.To(1.5) }, Defaults with { Temperature = 1.5 } },
        { SettingsPatch.None with { TopP = Change<double?>.To(0.1) }, Defaults with { TopP = 0.1 } },
        { SettingsPatch.None with { MaxTokens = Change<int?>.To(null) }, Defaults with { MaxTokens = null } },
        { SettingsPatch.None with { MaxTokens = Change<int?>.To(9) }, Defaults with { MaxTokens = 9 } },
    };

    [Theory]
    [MemberData(nameof(OneFieldPatches))]
    public void A_settings_patch_changes_exactly_the_fields_it_names(SettingsPatch patch, ConversationSettings expected)
    {
        Assert.Equal(expected, ConversationRules.Apply(Defaults, patch));
    }

    [Fact]
    public void A_patch_naming_every_field_sets_them_all()
    {
        var patch = new SettingsPatch(
            Change<string>.To("m"), Change<string>.To("i"), Change<double?>.To(0.0), Change<double?>.To(1.0), Change<int?>.To(1));

        Assert.Equal(new ConversationSettings("m", "i", 0.0, 1.0, 1), ConversationRules.Apply(Defaults, patch));
    }

    [Fact]
    public void A_turn_uses_its_own_model_when_it_names_one()
    {
        Assert.Equal("o3", ConversationRules.ModelFor(Defaults, TurnOverrides.None with { Model = "o3" }));
        Assert.Equal("gpt-4o-mini", ConversationRules.ModelFor(Defaults, TurnOverrides.None));
    }

    [Fact]
    public void A_parsed_update_applied_to_a_conversation_changes_what_the_client_asked_for()
    {
        var body = Json.Parsed.Body("""{"metadata":{"stage":"done"},"settings":{"temperature":null,"instructions":"Shorter."}}""");
        var request = Json.Parsed.Accepted(ConversationRequests.ParseUpdate(body));

        var updated = ConversationRules.Update(Existing(), request);

        Assert.Equal(Metadata(("stage", "done")), updated.Metadata);
        Assert.Equal(new ConversationSettings("gpt-4o-mini", "Shorter.", null, null, 512), updated.Settings);
    }
}
