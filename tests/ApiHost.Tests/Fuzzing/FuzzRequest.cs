using System.Collections.Immutable;
using Conversations.Testing.Fuzzing;

namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>
/// One generated request: an operation of the API document, who sends it, the ids put in its path (picks
/// into each parameter's pool), its query, its body (an example bent by <paramref name="Body"/>) and the
/// content type it claims.
/// </summary>
public sealed record FuzzRequest(
    int Operation,
    FuzzKey Key,
    ImmutableArray<int> PathPicks,
    string Query,
    ImmutableArray<BodyMutation> Body,
    int ContentType)
{
    public override string ToString() =>
        $"operation {Operation} as {Key}, path picks [{string.Join(',', PathPicks)}], query '{(Query.Length > 200 ? Query[..200] + "…" : Query)}', content type {ContentType}, body {string.Join(" | ", Body)}";
}
