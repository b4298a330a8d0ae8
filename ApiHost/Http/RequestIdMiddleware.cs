namespace Conversations.ApiHost.Http;

/// <summary>
/// Gives every request an id, answered as <c>x-request-id</c> (which the OpenAI SDKs surface with
/// errors) unless the upstream's own id was relayed, and used in logs and in 500 messages.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.TraceIdentifier = RequestIds.New();
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (!http.Response.Headers.ContainsKey("x-request-id"))
            {
                http.Response.Headers["x-request-id"] = http.TraceIdentifier;
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
