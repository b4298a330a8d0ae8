using System.Net;
using Conversations.Hosting.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace Conversations.ApiHost.Access;

/// <summary>
/// The proxies whose forwarded-for header names the client (settings <c>ForwardedHeaders:KnownProxies</c>,
/// <c>ForwardedHeaders:KnownNetworks</c> and <c>ForwardedHeaders:Header</c>). With none configured no such
/// header is believed, from anyone: a client could otherwise name any address it likes and escape the
/// failed-key throttle.
/// </summary>
public static class TrustedProxies
{
    public const string ProxiesSetting = "ForwardedHeaders:KnownProxies";
    public const string NetworksSetting = "ForwardedHeaders:KnownNetworks";
    public const string HeaderSetting = "ForwardedHeaders:Header";

    /// <summary>The forwarded-headers settings, or null when no proxy is trusted; a value that is not an address stops the host.</summary>
    public static ForwardedHeadersOptions? Read(IConfiguration configuration)
    {
        var proxies = List(configuration, ProxiesSetting, text => (IPAddress.TryParse(text, out var address), address!), "IP addresses such as 10.0.0.5");
        var networks = List(configuration, NetworksSetting, text => (System.Net.IPNetwork.TryParse(text, out var network), network), "networks such as 10.0.0.0/8");
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor,
            ForwardedForHeaderName = SettingValues.Read(configuration, HeaderSetting, ForwardedHeadersDefaults.XForwardedForHeaderName),
            // No limit on the entries read: the middleware reads from the right and stops at the first address
            // that is not a trusted proxy, so a chain of trusted proxies is walked and nothing a client wrote is.
            ForwardLimit = null,
        };
        // The defaults trust loopback; only what the operator names is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        proxies.ForEach(options.KnownProxies.Add);
        networks.ForEach(options.KnownIPNetworks.Add);
        return options;
    }

    private static List<T> List<T>(IConfiguration configuration, string setting, Func<string, (bool Parsed, T Value)> parse, string expected) =>
        [.. Values(configuration, setting).Select(text => parse(text) is (true, var value) ? value : throw Bad(setting, text, expected))];

    /// <summary>A comma-separated list, or the numbered children <c>setting:0</c>, <c>setting:1</c>… of a JSON array.</summary>
    private static IEnumerable<string> Values(IConfiguration configuration, string setting) =>
        new[] { configuration[setting] }
            .Concat(configuration.GetSection(setting).GetChildren().Select(child => child.Value))
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static InvalidSettingException Bad(string setting, string text, string expected) =>
        new($"{setting} must list {expected}, separated by commas; '{text}' is not one.");
}
