namespace Conversations.Core.Responses;

/// <summary>Whether and which tool the model must call.</summary>
[GenerateSerializer, Immutable]
public abstract record ToolChoice
{
    public static readonly ToolChoice Auto = new Mode("auto");

    /// <param name="Name"><c>none</c>, <c>auto</c> or <c>required</c>.</param>
    [GenerateSerializer, Immutable]
    public sealed record Mode([property: Id(0)] string Name) : ToolChoice;

    /// <summary>This one function, always.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Function([property: Id(0)] string Name) : ToolChoice;
}
