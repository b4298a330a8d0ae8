using System.Diagnostics;
using Conversations.ApiHost.Limits;

namespace Conversations.ApiHost.Metrics;

/// <summary>
/// Counts every request by route and final status (it runs outside the error middleware, so a failure is
/// counted with the status the client got), and gives each request to a route that calls the model a
/// <see cref="TurnMeter"/>, timed from the request's arrival.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ApiMetrics.Enabled)
        {
            await next(context);
            return;
        }

        var route = RouteLabel.Of(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<CallsUpstream>() is not null)
        {
            context.Features.Set(new TurnMeter(route, Stopwatch.GetTimestamp()));
        }

        try
        {
            await next(context);
        }
        finally
        {
            ApiMetrics.Request(route, context.Response.StatusCode);
        }
    }
}
