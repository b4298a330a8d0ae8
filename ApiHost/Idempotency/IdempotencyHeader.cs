using Conversations.ApiHost.Errors;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.ApiHost.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> header, read the same way on every route that honours it: absent (or sent
/// more than once) means no key; otherwise it must be well formed, and comes with a hash of the route
/// and the body's bytes, so that the same key with another request can be told apart.
/// </summary>
public static class IdempotencyHeader
{
    /// <summary>No key (null), the key with its request's hash, or the 400 for a malformed header.</summary>
    /// <param name="route">The route as the hash names it, e.g. <c>POST /v1/chat/completions</c>: keep it stable, or stored keys stop matching.</param>
    public static OneOf<IdempotencyKey?, ErrorResult> Read(HttpRequest request, string route, ReadOnlySpan<byte> body)
    {
        if (request.Headers[IdempotencyKey.Header] is not [{ } header])
        {
            return (IdempotencyKey?)null;
        }

        var parsed = IdempotencyKey.From(header, route, body);
        return parsed.TryPickT1(out var invalid, out var key) ? Problems.Of(invalid) : key;
    }
}
