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
/// (the standard OpenTelemetry variables configure the rest), and the same metrics to a reader of the
/// host's own (an API host's <c>/metrics</c>) when it passes one. With neither, nothing is collected, so
/// the hot path pays nothing for it.
/// </summary>
public static class Telemetry
{
    /// <param name="reader">Adds a metric reader of the host's own, e.g. Prometheus' scrape endpoint; null for none.</param>
    public static IServiceCollection AddConversationsTelemetry(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Action<MeterProviderBuilder>? reader = null)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!otlp && reader is null)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // The runtime's own meter: GC heap, working set, thread pool, exceptions.
                .AddMeter("Microsoft.Orleans", UsageMetrics.MeterName, "System.Runtime"));
        if (reader is not null)
        {
            telemetry.WithMetrics(reader);
        }

        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
                .UseOtlpExporter();
        }

        return services;
    }
}
