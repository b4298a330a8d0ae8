using Microsoft.AspNetCore.Routing;

namespace Conversations.ApiHost.Metrics;

/// <summary>
/// The route label of a request: its method and route template (<c>POST /v1/conversations/{id}/messages</c>),
/// never its path, which holds ids; <c>unmatched</c> for a request no route took, whatever its path or method.
/// </summary>
public static class RouteLabel
{
    public const string Unmatched = "unmatched";

    public static string Of(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } raw } endpoint)
        {
            return Unmatched;
        }

        // A group's own route ("" under "/v1/responses") ends in a slash the path it matches does not.
        var template = raw.Length > 1 ? raw.TrimEnd('/') : raw;

        if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods)
        {
            // A route for any method (health, metrics): the method would only add series.
            return template;
        }

        // Only a method the route declares: the one sent could be anything.
        var method = methods.HttpMethods.FirstOrDefault(m => HttpMethods.Equals(m, context.Request.Method));
        return method is null ? Unmatched : $"{method} {template}";
    }
}
