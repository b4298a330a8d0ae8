using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conversations.Hosting.Cluster;

/// <summary>
/// How long a stopping process (SIGTERM) lets running requests and streams finish before it ends them:
/// <c>CONVERSATIONS_DRAIN_TIMEOUT</c>, default 30 s. The web server stops first and waits this long for
/// open streams; whatever is still running is then cancelled, and its partial reply kept as incomplete.
/// </summary>
public static class Drain
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddDrainOnShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        var timeout = configuration.GetValue("CONVERSATIONS_DRAIN_TIMEOUT", DefaultTimeout);
        // Beyond the drain itself: time for streams ended by it to store their partial replies, and for
        // the silo to hand its grains over.
        return services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout + StopMargin);
    }
}
