namespace Conversations.Core.Requests;

/// <summary>A validated list query (<c>?limit&amp;order&amp;after</c>). <see cref="After"/> is empty for the first page.</summary>
[GenerateSerializer, Immutable]
public sealed record PageQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] SortOrder Order,
    [property: Id(2)] string After);
