using Conversations.ApiHost.Access;
using Conversations.ApiHost.Admin;
using Conversations.ApiHost.ChatCompletions;
using Conversations.ApiHost.WebConsole;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Limits;
using Conversations.ApiHost.Conversations;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Health;
using Conversations.ApiHost.Models;
using Conversations.ApiHost.Responses;
using Conversations.ApiHost.Usage;
using Conversations.Hosting.Cluster;
using Conversations.Hosting.Observability;
using Conversations.Hosting.Configuration;
using Conversations.Upstream;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Conversations.ApiHost;

/// <summary>
/// Builds the HTTP front door: a co-hosted silo by default (the embedded, one-process setup), or an
/// Orleans client of a cluster when <c>CONVERSATIONS_SILO=false</c>.
/// </summary>
public static class ApiHostApplication
{
    public const string MaxBodyBytesSetting = "CONVERSATIONS_MAX_BODY_BYTES";
    public const string SiloSetting = "CONVERSATIONS_SILO";
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string MetricsPath = "/metrics";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // appsettings.json is looked for next to the program, wherever it is started from: "dotnet run"
        // keeps the repository root as the working directory (for ./data and ./.env).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        customize?.Invoke(builder);
        var configuration = builder.Configuration;

        var maxBodyBytes = MaxBodyBytes(configuration);
        builder.Services.AddOptions<ApiHostOptions>().Configure(options =>
        {
            options.MaxRequestBodyBytes = maxBodyBytes;
            SettingValues.Bind(configuration.GetSection("ApiHost"), options);
            if (options.TurnCheckInterval <= TimeSpan.Zero)
            {
                throw new InvalidSettingException($"ApiHost:TurnCheckInterval must be a duration above zero (hh:mm:ss) such as 00:00:05; '{configuration["ApiHost:TurnCheckInterval"]}' is not.");
            }

            options.ModelAliases = new Core.ChatCompletions.ModelAliases(
                configuration.GetSection("Models:Aliases").GetChildren().ToImmutableDictionary(alias => alias.Key, alias => alias.Value ?? alias.Key));
        }).ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBodyBytes);
        builder.Services.AddOptions<AccessOptions>().Configure(options => AccessOptions.Bind(configuration, options)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        builder.Services.AddOptions<FailedKeyOptions>().Configure(options => SettingValues.Bind(configuration.GetSection(FailedKeyOptions.Section), options)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FailedKeyOptions>, FailedKeyOptionsValidator>();
        builder.Services.AddSingleton<FailedKeyThrottle>();
        var trustedProxies = TrustedProxies.Read(configuration);

        var hostsSilo = SettingValues.Read(configuration, SiloSetting, true);
        if (hostsSilo)
        {
            builder.UseOrleans(silo => silo.AddConversationsSilo(configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client.AddConversationsClient(configuration));
            builder.Services.AddChatUpstream(configuration);
        }

        builder.Services.AddDrainOnShutdown(configuration);
        builder.Services.AddConversationsHealthChecks(configuration, hostsSilo);
        var prometheus = SettingValues.Read(configuration, PrometheusSetting, false);
        builder.Services.AddConversationsTelemetry(configuration, "conversations-apihost", prometheus ? metrics => metrics.AddPrometheusExporter() : null);
        builder.Services.ConfigureHttpJsonOptions(json => UseWireJson(json.SerializerOptions));
        builder.Services.AddOpenApi(openApi => openApi
            .AddDocumentTransformer(static (document, _, _) =>
            {
                document.Info.Title = "Conversations API";
                document.Info.Description = "OpenAI-compatible conversations, responses and chat completions, with per-user keys, limits and usage.";
                return Task.CompletedTask;
            })
            .AddSchemaTransformer<Documentation.OmittedWhenNull>()
            .AddDocumentTransformer<Documentation.BearerSecurity>()
            .AddOperationTransformer<Documentation.BearerSecurity>()
            .AddOperationTransformer<Documentation.RequestExamples>());
        builder.Services.AddSingleton<Lifecycle.ShutdownDrain>();
        builder.Services.AddSingleton<KeyResolver>();
        builder.Services.AddSingleton(typeof(GrainReferences<>));
        builder.Services.AddHostedService<AccessBootstrap>();
        builder.Services.AddHostedService<StartupBanner>();
        builder.Services
            .AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.UserPolicy, policy => policy.RequireRole(ApiKeyAuthentication.UserRole))
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, policy => policy.RequireRole(ApiKeyAuthentication.AdminRole));

        builder.Services.AddSingleton<AdmissionBudgets>();
        builder.Services.AddSingleton<ClusterRateLimiter>();
        builder.Services.AddRateLimiter(options => options.OnRejected = RateLimitRejection.Write);
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<ClusterRateLimiter>((options, limiter) => options.GlobalLimiter = limiter);

        var app = builder.Build();
        if (trustedProxies is not null)
        {
            // First, so everything after it (the failed-key throttle, logs, metrics) sees the client's address.
            app.UseForwardedHeaders(trustedProxies);
        }

        // Outermost, so a request is counted with the status its client got, errors included.
        app.UseMiddleware<Metrics.RequestMetricsMiddleware>();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ErrorEnvelopeMiddleware>();
        // The console's page and files need no key: it asks for one.
        app.UseWebConsole();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // The routes as an OpenAPI document, at /openapi/v1.json, and as interactive docs at /docs.
        app.MapOpenApi();
        app.MapApiDocs();
        app.MapHealth();
        if (prometheus)
        {
            // The metrics in Prometheus' text format, without a key, like health: expose it to the scraper only.
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        var v1 = app.MapGroup("/v1");
        v1.MapConversations();
        v1.MapResponses();
        v1.MapModels();
        v1.MapChatCompletions();
        v1.MapUsage();
        v1.MapAdmin();
        return app;
    }

    /// <summary>
    /// The options typed results (<c>Ok&lt;T&gt;</c>, <c>Created&lt;T&gt;</c>) write with and the OpenAPI document
    /// describes schemas with: the wire records' source-generated metadata and <see cref="WireJson.Api"/>'s
    /// settings, so a body is byte for byte what <see cref="WireJson.Api"/> writes, and the document shows
    /// snake_case names and numbers as numbers (the web defaults would show camelCase, and numbers that
    /// may be strings).
    /// </summary>
    private static void UseWireJson(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, WireJson.Default);
        options.PropertyNamingPolicy = WireJson.Api.Options.PropertyNamingPolicy;
        options.DefaultIgnoreCondition = WireJson.Api.Options.DefaultIgnoreCondition;
        options.Encoder = WireJson.Api.Options.Encoder;
        options.WriteIndented = WireJson.Api.Options.WriteIndented;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    private static long MaxBodyBytes(IConfiguration configuration)
    {
        var bytes = SettingValues.Read(configuration, MaxBodyBytesSetting, new ApiHostOptions().MaxRequestBodyBytes);
        return bytes > 0 ? bytes : throw new InvalidSettingException($"{MaxBodyBytesSetting} must be a number of bytes above zero; '{configuration[MaxBodyBytesSetting]}' is not.");
    }

    /// <summary>Loads <c>.env</c> from the working directory into the environment (never overriding what is set).</summary>
    public static void LoadDotEnv() => DotEnvFile.LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
}
