namespace Conversations.Core.Upstream;

/// <summary>One part of a Chat Completions message's <c>content</c> array.</summary>
[GenerateSerializer, Immutable]
public abstract record UpstreamContentPart
{
    /// <summary><c>{"type":"text","text":…}</c></summary>
    [GenerateSerializer, Immutable]
    public sealed record Text([property: Id(0)] string Value) : UpstreamContentPart;

    /// <summary><c>{"type":"image_url","image_url":{"url":…,"detail":…}}</c>: an address or a <c>data:</c> URL.</summary>
    /// <param name="Detail"><c>auto</c>, <c>low</c> or <c>high</c>; left out when null or empty, so the upstream's default applies.</param>
    [GenerateSerializer, Immutable]
    public sealed record ImageUrl(
        [property: Id(0)] string Url,
        [property: Id(1)] string? Detail) : UpstreamContentPart;

    /// <summary><c>{"type":"file","file":{"file_data":…,"filename":…}}</c>: a file sent inline.</summary>
    /// <param name="Filename">Left out when null or empty.</param>
    [GenerateSerializer, Immutable]
    public sealed record File(
        [property: Id(0)] string FileData,
        [property: Id(1)] string? Filename) : UpstreamContentPart;
}
