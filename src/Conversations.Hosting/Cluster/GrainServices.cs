using Conversations.Grains;
using Conversations.Hosting.Configuration;
using Conversations.Store;
using Conversations.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Hosting.Cluster;

/// <summary>What the grains depend on: the store (SQLite or PostgreSQL), the upstream, the clock.</summary>
public static class GrainServices
{
    public static IServiceCollection AddConversationGrainServices(this IServiceCollection services, IConfiguration configuration, ClusterSettings settings)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(Grains.Users.UserGrain.ClockKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        if (settings.Postgres is { } postgres)
        {
            services.AddPostgresStore(postgres);
        }
        else
        {
            Directory.CreateDirectory(settings.DataDirectory);
            services.AddSqliteStore(settings.SqlitePath);
        }

        services.AddChatUpstream(configuration);
        // Read at start, so a limit of the wrong form stops the process rather than the first user's grain.
        services.AddOptions<Grains.Users.LimitDefaults>()
            .Configure(limits => SettingValues.Bind(configuration.GetSection("Limits"), limits))
            .ValidateOnStart();
        services.AddHostedService<Grains.ExpiryJanitor>();
        services.AddSingleton<Grains.Conversations.RunningTurns>();
        services.AddHostedService<TurnDrain>();
        services.AddOptions<Grains.Responses.ResponseOptions>()
            .Configure(responses => SettingValues.Bind(configuration.GetSection("Responses"), responses))
            .ValidateOnStart();
        services.AddOptions<Grains.Context.ContextOptions>()
            .Configure(context => SettingValues.Bind(configuration.GetSection("Context"), context))
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Grains.Context.ContextOptions>, Grains.Context.ContextOptionsValidator>();
        services.AddSingleton<Grains.Context.ModelWindows>();
        services.AddOptions<ConversationDefaults>().Configure<Microsoft.Extensions.Options.IOptions<UpstreamOptions>>(
            (defaults, upstream) => defaults.Model = upstream.Value.DefaultModel);
        return services;
    }
}
