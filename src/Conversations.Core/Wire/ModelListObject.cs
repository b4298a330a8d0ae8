namespace Conversations.Core.Wire;

public sealed record ModelListObject(string Object, IReadOnlyList<ModelObject> Data);
