using Conversations.Core.Errors;
using Conversations.Hosting.Cluster;

namespace Conversations.ApiHost.Lifecycle;

/// <summary>
/// Graceful stop (SIGTERM): the web server stops taking requests and running streams may finish for
/// <c>CONVERSATIONS_DRAIN_TIMEOUT</c>. Then <see cref="Ended"/> fires: every stream still open ends
/// with an error event, and a conversation keeps its partial reply as incomplete, exactly as when the
/// client goes away. Only after that do the silo and the rest of the host stop.
/// </summary>
public sealed class ShutdownDrain : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly CancellationTokenRegistration _registration;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IConfiguration configuration)
    {
        Timeout = Drain.Timeout(configuration);
        _registration = lifetime.ApplicationStopping.Register(() => _ended.CancelAfter(Timeout));
    }

    public TimeSpan Timeout { get; }

    /// <summary>Cancelled when the drain time after a stop request has run out.</summary>
    public CancellationToken Ended => _ended.Token;

    public static ApiError ShuttingDown() => ApiErrors.ShuttingDown();

    public void Dispose()
    {
        _registration.Dispose();
        _ended.Dispose();
    }
}
