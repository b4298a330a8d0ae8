using System.Text.Json;

namespace Conversations.Core.Wire;

/// <summary>
/// Text the model wrote. <c>annotations</c> and <c>logprobs</c> are always arrays (<c>[]</c> when there are
/// none): the .NET SDK refuses a null in either, and the Responses spec requires both.
/// </summary>
public sealed record OutputTextPartObject(
    string Text,
    IReadOnlyList<JsonElement> Annotations,
    IReadOnlyList<JsonElement> Logprobs) : ContentPartObject;
