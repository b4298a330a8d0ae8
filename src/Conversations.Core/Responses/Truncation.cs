namespace Conversations.Core.Responses;

/// <summary>What happens when the context does not fit the model's window: refuse (<see cref="Disabled"/>, the default) or leave out the oldest items.</summary>
[GenerateSerializer]
public enum Truncation
{
    Disabled,
    Auto,
}
