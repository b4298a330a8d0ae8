using System.Globalization;
using Conversations.Core.Errors;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Errors;

/// <summary>Writes an <see cref="ApiError"/> as its status and OpenAI's error envelope.</summary>
public sealed class ErrorResult(ApiError error) : IResult, IStatusCodeHttpResult
{
    public ApiError Error { get; } = error;

    public int? StatusCode => Error.Status;

    public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext.Response, Error);

    public static Task Write(HttpResponse response, ApiError error)
    {
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } retryAfter)
        {
            // Whole seconds, rounded up, so a client that waits exactly this long is not early.
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            response.Headers["retry-after-ms"] = ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (error.RetriedAlready)
        {
            response.Headers["x-should-retry"] = "false";
        }

        return response.WriteAsJsonAsync(WireObjects.Error(error), WireJson.Api.ErrorEnvelope, contentType: "application/json");
    }
}
