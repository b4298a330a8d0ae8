namespace Conversations.Core.Wire;

public sealed record InputTextPartObject(string Text) : ContentPartObject;
