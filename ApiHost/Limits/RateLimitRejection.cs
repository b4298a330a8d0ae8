using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Users;
using Microsoft.AspNetCore.RateLimiting;

namespace Conversations.ApiHost.Limits;

/// <summary>A refused request: 429 in OpenAI's envelope, with <c>Retry-After</c>, naming the limit that was hit.</summary>
public static class RateLimitRejection
{
    public static ValueTask Write(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var admission = (context.Lease as AdmissionLease)?.Admission as Admission.Refused;
        var reason = admission?.Reason ?? "requests";
        var retryAfter = admission?.RetryAfter ?? TimeSpan.FromSeconds(1);
        var message = reason switch
        {
            "tokens" => $"Rate limit reached for tokens per day: {admission?.Tokens.Limit} tokens, all used today (UTC). Try again in {RateLimitHeaders.Duration(retryAfter)}.",
            _ => $"Rate limit reached for requests per minute: limit {admission?.Requests.Limit}. Try again in {RateLimitHeaders.Duration(retryAfter)}.",
        };
        return new ValueTask(ErrorResult.Write(context.HttpContext.Response, new ApiError(429, reason, "rate_limit_exceeded", message, null, retryAfter)));
    }
}
