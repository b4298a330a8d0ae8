namespace Conversations.Core.Items;

/// <summary>One part of a message's content.</summary>
[GenerateSerializer, Immutable]
public abstract record ContentPart
{
    /// <summary>Text a person (or the system, or a developer) wrote.</summary>
    [GenerateSerializer, Immutable]
    public sealed record InputText([property: Id(0)] string Text) : ContentPart;

    /// <summary>
    /// Text the model wrote. Annotations and log probabilities are kept as the JSON arrays they arrived as
    /// (<c>[]</c> when there are none): this service produces neither, but keeps what a client sends back.
    /// </summary>
    [GenerateSerializer, Immutable]
    public sealed record OutputText(
        [property: Id(0)] string Text,
        [property: Id(1)] string AnnotationsJson,
        [property: Id(2)] string LogprobsJson) : ContentPart
    {
        public const string NoneJson = "[]";

        public static OutputText Of(string text) => new(text, NoneJson, NoneJson);
    }

    /// <summary>An image by URL: an <c>https:</c> address or a <c>data:</c> URL holding the image itself.</summary>
    /// <param name="Detail"><c>auto</c>, <c>low</c> or <c>high</c>.</param>
    [GenerateSerializer, Immutable]
    public sealed record InputImage(
        [property: Id(0)] string ImageUrl,
        [property: Id(1)] string Detail) : ContentPart;

    /// <summary>A file sent inline: its data (a <c>data:</c> URL, or base64) and its name.</summary>
    [GenerateSerializer, Immutable]
    public sealed record InputFile(
        [property: Id(0)] string FileData,
        [property: Id(1)] string Filename) : ContentPart;

    /// <summary>The model declined to answer, and said why.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Refusal([property: Id(0)] string Text) : ContentPart;
}
