namespace Conversations.Core.Wire;

/// <param name="Refusal">Why the model declined.</param>
public sealed record RefusalPartObject(string Refusal) : ContentPartObject;
