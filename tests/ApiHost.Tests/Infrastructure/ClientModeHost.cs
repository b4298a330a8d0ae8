using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// A second ApiHost in front of the same cluster: an Orleans client (<c>CONVERSATIONS_SILO=false</c>) of
/// another host's co-hosted silo, as a scaled-out deployment runs several front doors.
/// </summary>
public static class ClientModeHost
{
    /// <summary>
    /// Starts a host that is a client of <paramref name="silo"/>'s gateway, with the same admin key and,
    /// since a client-mode host calls the upstream itself for stateless requests, the same upstream.
    /// </summary>
    public static Task<RunningApiHost> StartClientOf(RunningApiHost silo, FakeOpenAiServer? upstream = null, LogLevel minimumLevel = LogLevel.Warning)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_SILO"] = "false",
            ["Orleans:Endpoints:GatewayPort"] = silo.Settings["Orleans:Endpoints:GatewayPort"],
            ["CONVERSATIONS_ADMIN_KEY"] = silo.Settings["CONVERSATIONS_ADMIN_KEY"],
            ["CONVERSATIONS_API_KEY"] = silo.Settings["CONVERSATIONS_API_KEY"],
        };
        foreach (var name in new[] { "OPENAI_BASE_URL", "OPENAI_API_KEY" })
        {
            if (silo.Settings.TryGetValue(name, out var value))
            {
                overrides[name] = value;
            }
        }

        return RunningApiHost.StartAsync(upstream, overrides, minimumLevel: minimumLevel);
    }
}
