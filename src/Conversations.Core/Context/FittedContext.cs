namespace Conversations.Core.Context;

/// <summary>
/// What goes upstream once a context is fitted into its window: the messages from <see cref="Cut"/> on, and
/// before it only the system and developer messages (which are never left out). A cut of 0 leaves nothing out.
/// </summary>
/// <param name="Tokens">The tokens of what is sent, the fixed part (priming, instructions, tools) included.</param>
[GenerateSerializer, Immutable]
public sealed record FittedContext([property: Id(0)] int Cut, [property: Id(1)] long Tokens)
{
    public bool LeftOutAny => Cut > 0;
}
