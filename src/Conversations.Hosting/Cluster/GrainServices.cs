using Conversations.Grains;
using Conversations.Hosting.Configuration;
using Conversations.Store;
using Conversations.Store.Sqlite;
using Conversations.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Hosting.Cluster;

/// <summary>What the grains depend on: the store (SQLite or PostgreSQL), the upstream, the clock.</summary>
public static class GrainServices
{
    /// <summary><c>Store__SqliteSynchronous</c>: <c>Full</c> (default) or <c>Normal</c>; see <see cref="SqliteSynchronous"/>.</summary>
    public const string SqliteSynchronousSetting = "Store:SqliteSynchronous";

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
            var synchronous = SettingValues.Read(configuration, SqliteSynchronousSetting, SqliteSynchronous.Full);
            services.AddSqliteStore(options => (options.DatabasePath, options.Synchronous) = (settings.SqlitePath, synchronous));
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
