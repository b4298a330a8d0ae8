using System.Collections.Immutable;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// The first successful answer to a stateless request sent with an idempotency key, kept to be
/// answered again byte for byte to a repeat: status, content type, the headers worth repeating
/// (request id, rate limits) and the body (for a stream, the whole event stream as sent).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StoredResponse(
    [property: Id(0)] int Status,
    [property: Id(1)] string ContentType,
    [property: Id(2)] ImmutableSortedDictionary<string, string> Headers,
    [property: Id(3)] byte[] Body);
