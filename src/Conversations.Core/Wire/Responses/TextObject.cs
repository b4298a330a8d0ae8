namespace Conversations.Core.Wire.Responses;

/// <summary>
/// The response's <c>text</c> settings. No <c>verbosity</c>: the service does not keep or act on it,
/// and the key is optional.
/// </summary>
public sealed record TextObject(TextFormatObject Format);
