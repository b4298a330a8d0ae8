using Conversations.Core.Errors;

namespace Conversations.ApiHost.Errors;

/// <summary>
/// The last line of defence: an unexpected exception becomes a 500 in the error envelope with a
/// request id to quote, never a stack trace; and bare status codes from the framework (unknown
/// route, wrong method, body too large) get the envelope too.
/// </summary>
public sealed partial class ErrorEnvelopeMiddleware(RequestDelegate next, ILogger<ErrorEnvelopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ErrorResult.Write(context.Response, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiErrors.BodyTooLarge(BodyLimit(context))
                : new ApiError(exception.StatusCode, ApiErrors.InvalidRequest, "bad_request", "The request could not be read: " + exception.Message, null));
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
            return;
        }
        catch (Exception exception) when (ClusterFailures.IsTransient(exception) && !context.Response.HasStarted)
        {
            LogClusterFailure(logger, exception, context.TraceIdentifier, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ErrorResult.Write(context.Response, ClusterFailures.Unavailable());
            return;
        }
        catch (Exception exception)
        {
            LogUnhandled(logger, exception, context.TraceIdentifier, context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.Clear();
            await ErrorResult.Write(context.Response, ApiErrors.Internal(context.TraceIdentifier));
            return;
        }

        if (context.Response.HasStarted || context.Response.StatusCode < 400 || context.Response.ContentLength is > 0 || context.Response.ContentType is not null)
        {
            return;
        }

        var error = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ApiErrors.RouteNotFound(context.Request.Method, context.Request.Path),
            StatusCodes.Status405MethodNotAllowed => ApiErrors.MethodNotAllowed(context.Request.Method, context.Request.Path),
            StatusCodes.Status413PayloadTooLarge => ApiErrors.BodyTooLarge(BodyLimit(context)),
            StatusCodes.Status415UnsupportedMediaType => ApiErrors.UnsupportedMediaType(context.Request.ContentType),
            var status => new ApiError(status, status >= 500 ? ApiErrors.Server : ApiErrors.InvalidRequest, null, $"The request failed with HTTP {status}.", null),
        };
        await ErrorResult.Write(context.Response, error);
    }

    private static long BodyLimit(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiHostOptions>>().Value.MaxRequestBodyBytes;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} ({Method} {Path}) lost its silo.")]
    private static partial void LogClusterFailure(ILogger logger, Exception exception, string requestId, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} ({Method} {Path}) failed unexpectedly.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId, string method, string path);
}
