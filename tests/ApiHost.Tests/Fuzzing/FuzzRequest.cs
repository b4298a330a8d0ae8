using System.Collections.Immutable;
using Conversations.Testing.Fuzzing;

namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>
/// One generated request: an operation of the API document, who sends it, the ids put in its path (picks
/// into each parameter's pool), its query, its body (one of the route's examples, picked by
/// <paramref name="Example"/>, bent by <paramref name="Body"/>) and the content type it claims.
/// </summary>
public sealed record FuzzRequest(
    int Operation,
    FuzzKey Key,
    ImmutableArray<int> PathPicks,
    string Query,
    int Example,
    ImmutableArray<BodyMutation> Body,
    int ContentType)
{
    public override string ToString() =>
        $"operation {Operation} as {Key}, path picks [{string.Join(',', PathPicks)}], query '{(Query.Length > 200 ? Query[..200] + "…" : Query)}', content type {ContentType}, example {Example}, body {string.Join(" | ", Body)}";
}
