namespace Conversations.Core.Requests;

/// <summary>Settings that apply to one turn only; null means "use the conversation's setting".</summary>
[GenerateSerializer, Immutable]
public sealed record TurnOverrides(
    [property: Id(0)] string? Model,
    [property: Id(1)] double? Temperature,
    [property: Id(2)] double? TopP,
    [property: Id(3)] int? MaxTokens)
{
    public static readonly TurnOverrides None = new(null, null, null, null);
}
