using Conversations.ApiHost.Errors;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.ApiHost.Http;

/// <summary>
/// The query of a route that answers items (a conversation's, a response's input), read the same way on
/// each: <c>include[]</c>, and for a list <c>limit</c>, <c>order</c> (newest first unless asked) and <c>after</c>.
/// </summary>
public static class ItemQuery
{
    /// <summary>The 400 for an <c>include[]</c> value the service does not know; null when it is fine.</summary>
    public static ErrorResult? BadInclude(HttpRequest request) =>
        IncludeQuery.Parse(request.Query["include[]"], request.Query["include"]).TryPickT1(out var bad, out _) ? Problems.Of(bad) : null;

    /// <summary>The page a list route is asked for, or the 400 saying what in its query is wrong.</summary>
    public static OneOf<PageQuery, ErrorResult> Page(string? limit, string? order, string? after, HttpRequest request)
    {
        if (BadInclude(request) is { } bad)
        {
            return bad;
        }

        return ConversationRequests.ParsePage(limit, order, after, SortOrder.Descending).Match<OneOf<PageQuery, ErrorResult>>(
            page => page,
            invalid => Problems.Of(invalid));
    }
}
