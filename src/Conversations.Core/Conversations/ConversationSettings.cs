namespace Conversations.Core.Conversations;

/// <summary>
/// How a conversation talks to its model. Optional sampling settings are absent (null) when the
/// upstream's own default should apply; they are then left out of the upstream request entirely.
/// </summary>
/// <param name="Instructions">Sent as a leading system message on every turn; empty for none.</param>
/// <remarks><see cref="Truncation"/> says what a turn does with a context longer than its model's window.</remarks>
[GenerateSerializer, Immutable]
public sealed record ConversationSettings(
    [property: Id(0)] string Model,
    [property: Id(1)] string Instructions,
    [property: Id(2)] double? Temperature,
    [property: Id(3)] double? TopP,
    [property: Id(4)] int? MaxTokens)
{
    /// <summary>What a turn does when the conversation no longer fits its model's window: refuse (the default, as OpenAI's) or leave out the oldest items.</summary>
    [Id(5)]
    public Responses.Truncation Truncation { get; init; } = Responses.Truncation.Disabled;

    public static ConversationSettings ForModel(string model) => new(model, "", null, null, null);
}
