using System.Collections.Immutable;

namespace Conversations.Core.Responses;

/// <summary>
/// How one response is made: the request's sampling, tools and output settings, echoed in the Response
/// object. <see cref="Instructions"/> apply to this response only; they are never stored as an item nor
/// carried forward to the next one. <see cref="Truncation"/> is null while a request has not said (a
/// conversation's setting then applies); a response always has one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ResponseSettings(
    [property: Id(0)] string? Instructions,
    [property: Id(1)] double? Temperature,
    [property: Id(2)] double? TopP,
    [property: Id(3)] int? MaxOutputTokens,
    [property: Id(4)] ImmutableArray<FunctionTool> Tools,
    [property: Id(5)] ToolChoice ToolChoice,
    [property: Id(6)] bool ParallelToolCalls,
    [property: Id(7)] TextFormat Text,
    [property: Id(8)] string? ReasoningEffort,
    [property: Id(9)] Truncation? Truncation,
    [property: Id(10)] ImmutableSortedDictionary<string, string> Metadata,
    [property: Id(11)] string? User,
    [property: Id(12)] string? SafetyIdentifier,
    [property: Id(13)] string? PromptCacheKey)
{
    public static readonly ResponseSettings Default = new(
        null, null, null, null, [], ToolChoice.Auto, true, TextFormat.Plain, null, null,
        ImmutableSortedDictionary<string, string>.Empty, null, null, null);

    /// <summary>Equal when everything is, the tools one by one and the metadata entry by entry.</summary>
    public bool Equals(ResponseSettings? other) =>
        other is not null
        && EqualityContract == other.EqualityContract
        && Instructions == other.Instructions
        && Temperature == other.Temperature
        && TopP == other.TopP
        && MaxOutputTokens == other.MaxOutputTokens
        && Tools.AsSpan().SequenceEqual(other.Tools.AsSpan())
        && Equals(ToolChoice, other.ToolChoice)
        && ParallelToolCalls == other.ParallelToolCalls
        && Equals(Text, other.Text)
        && ReasoningEffort == other.ReasoningEffort
        && Truncation == other.Truncation
        && Metadata.Count == other.Metadata.Count && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && User == other.User
        && SafetyIdentifier == other.SafetyIdentifier
        && PromptCacheKey == other.PromptCacheKey;

    public override int GetHashCode() => HashCode.Combine(Instructions, Temperature, Tools.Length, ToolChoice, Text, Metadata.Count);
}
