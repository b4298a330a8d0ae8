using Conversations.Core.Offline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conversations.Upstream;

/// <summary>Says once, at start, which upstream the service uses. Never the key: only whether one is set.</summary>
public sealed partial class UpstreamStartupReport(IOptions<UpstreamOptions> options, ILogger<UpstreamStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var upstream = options.Value;
        if (upstream.IsConfigured)
        {
            LogUpstream(logger, DisplayUrl(upstream.BaseUrl), !string.IsNullOrEmpty(upstream.ApiKey), upstream.DefaultModel);
        }

        if (upstream.OfflineModelActive)
        {
            LogOffline(logger, OfflineModel.ModelId, upstream.IsConfigured ? $"beside the upstream ({UpstreamOptions.OfflineModelVariable}=true)" : "because no upstream is configured", upstream.DefaultModel);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The base URL as safe to print: scheme, host, port and path, without user info or query.</summary>
    public static string DisplayUrl(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}"
            : "(not a valid URL)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream model server: {BaseUrl} (provider key set: {KeySet}); default model: {DefaultModel}.")]
    private static partial void LogUpstream(ILogger logger, string baseUrl, bool keySet, string defaultModel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OFFLINE MODEL ACTIVE: the built-in '{Model}' model answers {Why}. It is not a language model: it echoes messages deterministically. Default model: {DefaultModel}. Set OPENAI_API_KEY or OPENAI_BASE_URL to use a real one.")]
    private static partial void LogOffline(ILogger logger, string model, string why, string defaultModel);
}
