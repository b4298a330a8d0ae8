using System.Net;
using Conversations.Abstractions.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Conversations.Upstream;

public static class ChatUpstreamServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model behind <see cref="IChatUpstream"/> (an <see cref="UpstreamRouter"/> over the HTTP
    /// upstream and the offline model), its resilient HTTP client, the shared <see cref="ITokenCounter"/>, the
    /// <see cref="UpstreamOptions"/> read from <paramref name="configuration"/>, and a start-up log line.
    /// </summary>
    public static IServiceCollection AddChatUpstream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpstreamOptions>()
            .Configure(options => UpstreamOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCounter>();
        services.TryAddSingleton<ITokenCounter>(provider => provider.GetRequiredService<TokenCounter>());
        services.TryAddSingleton<OfflineChatUpstream>();
        services.TryAddSingleton<HttpChatUpstream>();
        services.TryAddSingleton<UpstreamRouter>();
        services.TryAddSingleton<UpstreamRelay>();
        services.TryAddSingleton<IChatUpstream>(provider => provider.GetRequiredService<UpstreamRouter>());
        services.AddHostedService<UpstreamStartupReport>();

        services.AddHttpClient(HttpChatUpstream.HttpClientName)
            // The resilience handler bounds each call; HttpClient's own 100 s limit would cut long single-shot replies.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<IOptions<UpstreamOptions>>().Value.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
                // A response abandoned half-read (a stream the caller left) closes its connection at once
                // instead of being drained, so the upstream sees the caller go and stops generating.
                MaxResponseDrainSize = 0,
            })
            // The factory's request logging is added back by UpstreamClientLogging, only when it would log.
            .RemoveAllLoggers()
            .RedactLoggedHeaders(name => IsSecretHeader(name, configuration))
            .AddResilienceHandler("upstream", (pipeline, context) =>
                UpstreamResilience.Configure(
                    pipeline,
                    context.ServiceProvider.GetRequiredService<IOptions<UpstreamOptions>>().Value,
                    context.ServiceProvider.GetRequiredService<TimeProvider>()));
        // One pipeline (so one circuit breaker) for all calls: the upstream is one base URL. Selecting it by
        // authority would build a key string on every call.
        services.AddHttpClient(HttpChatUpstream.HttpClientName)
            .ConfigureAdditionalHttpMessageHandlers((handlers, provider) => UpstreamClientLogging.AddWhenEnabled(handlers, provider, HttpChatUpstream.HttpClientName));

        return services;
    }

    private static bool IsSecretHeader(string name, IConfiguration configuration) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Contains("key", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Equals(configuration[$"{UpstreamOptions.SectionName}:{nameof(UpstreamOptions.ApiKeyHeader)}"], StringComparison.OrdinalIgnoreCase);

    private sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
    {
        public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
