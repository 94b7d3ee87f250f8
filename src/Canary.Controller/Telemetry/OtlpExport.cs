using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Canary.Controller.Telemetry;

/// <summary>
/// Wires OTLP export from <see cref="OtlpExportSettings"/>. The decision is deferred to when the providers are built,
/// so the settings come from the container (configuration, or a test's replacement) rather than the process environment.
/// </summary>
public static class OtlpExport
{
    /// <summary>Registers the settings read from the host's configuration, unless some are registered already.</summary>
    public static IServiceCollection AddOtlpExportSettings(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => OtlpExportSettings.FromConfiguration(
            sp.GetService<IConfiguration>() ?? new ConfigurationBuilder().AddEnvironmentVariables().Build()));
        return services;
    }

    /// <summary>service.name (OTEL_SERVICE_NAME or canary-controller) and service.version.</summary>
    public static ResourceBuilder AddControllerService(this ResourceBuilder resource, string version) =>
        resource.AddDetector(sp => new ServiceDetector(sp.GetRequiredService<OtlpExportSettings>().ServiceName, version));

    /// <summary>Adds a batching OTLP span exporter when <see cref="OtlpExportSettings.Traces"/> is set; nothing otherwise.</summary>
    public static TracerProviderBuilder AddOtlpExportWhenConfigured(this TracerProviderBuilder tracing) =>
        tracing.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider((sp, builder) =>
        {
            var settings = sp.GetRequiredService<OtlpExportSettings>();
            if (settings.Traces is { } target)
            {
#pragma warning disable CA2000 // The tracer provider owns and disposes its processors (and they their exporter).
                builder.AddProcessor(new BatchActivityExportProcessor(
                    new OtlpTraceExporter(Options(target)), scheduledDelayMilliseconds: settings.BatchDelayMilliseconds));
#pragma warning restore CA2000
            }
        }));

    /// <summary>Adds a periodic OTLP metric reader when <see cref="OtlpExportSettings.Metrics"/> is set; nothing otherwise.</summary>
    public static MeterProviderBuilder AddOtlpExportWhenConfigured(this MeterProviderBuilder metrics) =>
        metrics.ConfigureServices(services => services.ConfigureOpenTelemetryMeterProvider((sp, builder) =>
        {
            var settings = sp.GetRequiredService<OtlpExportSettings>();
            if (settings.Metrics is { } target)
            {
#pragma warning disable CA2000 // The meter provider owns and disposes its readers (and they their exporter).
                builder.AddReader(new PeriodicExportingMetricReader(
                    new OtlpMetricExporter(Options(target)), settings.MetricExportIntervalMilliseconds));
#pragma warning restore CA2000
            }
        }));

    private static OtlpExporterOptions Options(OtlpSignalTarget target)
    {
        // Endpoint set in code is used as is (no /v1/... appended): OtlpExportSettings already resolved the full URL.
        var options = new OtlpExporterOptions { Endpoint = target.Endpoint, Protocol = target.Protocol };
        if (target.Headers is { } headers)
        {
            options.Headers = headers;
        }

        return options;
    }

    private sealed class ServiceDetector(string name, string version) : IResourceDetector
    {
        public Resource Detect() => ResourceBuilder.CreateEmpty().AddService(name, serviceVersion: version).Build();
    }
}
