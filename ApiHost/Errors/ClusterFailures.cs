using Conversations.Core.Errors;

namespace Conversations.ApiHost.Errors;

/// <summary>
/// Failures of the cluster itself rather than of the request: the silo holding a grain died or is
/// shutting down, or the host lost its gateway. A turn is stored only when it completes, so a turn
/// cut off this way saved nothing and can simply be sent again.
/// </summary>
public static class ClusterFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        SiloUnavailableException => true,
        OrleansMessageRejectionException => true,
        Orleans.Runtime.Messaging.ConnectionFailedException => true,
        EnumerationAbortedException => true,
        GatewayTooBusyException => true,
        TimeoutException => true,
        OrleansException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    public static ApiError Unavailable() =>
        new(503, ApiErrors.Server, "service_unavailable",
            "The server handling this conversation went away while the request ran. Nothing was saved for this request; send it again.", null);
}
