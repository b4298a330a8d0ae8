using Conversations.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Conversations.Hosting.Observability;

/// <summary>
/// Traces and metrics over OpenTelemetry, exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the standard OpenTelemetry variables configure the rest). Without it nothing is collected, so the
/// hot path pays nothing for it.
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddConversationsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Microsoft.Orleans", UsageMetrics.MeterName))
            .UseOtlpExporter();
        return services;
    }
}
