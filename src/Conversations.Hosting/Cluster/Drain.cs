using Conversations.Hosting.Configuration;
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

    public const string TimeoutSetting = "CONVERSATIONS_DRAIN_TIMEOUT";

    /// <summary>The drain time configured, or the default; a value that is not a duration stops the process.</summary>
    public static TimeSpan Timeout(IConfiguration configuration)
    {
        var timeout = SettingValues.Read(configuration, TimeoutSetting, DefaultTimeout);
        return timeout >= TimeSpan.Zero
            ? timeout
            : throw new InvalidSettingException($"{TimeoutSetting} must be zero or more; '{configuration[TimeoutSetting]}' is not.");
    }

    public static IServiceCollection AddDrainOnShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        var timeout = Timeout(configuration);
        // Beyond the drain itself: time for streams ended by it to store their partial replies, and for
        // the silo to hand its grains over.
        return services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout + StopMargin);
    }
}
