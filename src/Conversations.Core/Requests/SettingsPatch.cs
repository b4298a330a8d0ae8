namespace Conversations.Core.Requests;

/// <summary>The settings fields a create or update request named; the rest stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record SettingsPatch(
    [property: Id(0)] Change<string> Model,
    [property: Id(1)] Change<string> Instructions,
    [property: Id(2)] Change<double?> Temperature,
    [property: Id(3)] Change<double?> TopP,
    [property: Id(4)] Change<int?> MaxTokens)
{
    [Id(5)]
    public Change<Responses.Truncation> Truncation { get; init; }

    public static readonly SettingsPatch None = new(
        Change<string>.Keep, Change<string>.Keep, Change<double?>.Keep, Change<double?>.Keep, Change<int?>.Keep);
}
