namespace Conversations.Core.Responses;

/// <summary>The shape the model's text must take: free text, any JSON object, or JSON matching a schema.</summary>
[GenerateSerializer, Immutable]
public abstract record TextFormat
{
    public static readonly TextFormat Plain = new Text();

    [GenerateSerializer, Immutable]
    public sealed record Text : TextFormat;

    [GenerateSerializer, Immutable]
    public sealed record JsonObject : TextFormat;

    /// <param name="SchemaJson">The JSON Schema, as the client sent it.</param>
    [GenerateSerializer, Immutable]
    public sealed record JsonSchema(
        [property: Id(0)] string Name,
        [property: Id(1)] string SchemaJson,
        [property: Id(2)] string? Description,
        [property: Id(3)] bool? Strict) : TextFormat;
}
