using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>An API key. <c>key</c> appears only in the response that issued it.</summary>
public sealed record ApiKeyObject(
    string Id,
    string Object,
    string UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    string Prefix,
    long CreatedAt,
    long? RevokedAt);
