using System.Net;
using System.Reflection;
using Canary.LoadTester.Runs;
using Canary.LoadTester.Telemetry;
using Canary.LoadTester.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Canary.LoadTester.Hosting;

/// <summary>The composition root: the tester's web host from <see cref="LoadTesterOptions"/>.</summary>
public static class LoadTesterHost
{
    /// <summary>The tester's version (assembly informational version).</summary>
    public static string Version { get; } =
        typeof(LoadTesterHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Builds the host; <paramref name="configureServices"/> runs last, so tests can replace registrations (e.g. <see cref="TimeProvider"/>).</summary>
    public static WebApplication Build(LoadTesterOptions options, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1 << 20;
            if (options.LoopbackOnly)
            {
                kestrel.Listen(IPAddress.Loopback, options.Port);
            }
            else
            {
                kestrel.ListenAnyIP(options.Port);
            }
        });
        ConfigureLogging(builder.Logging, options);
        var services = builder.Services;
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LoadTesterMetrics>();
        services.AddSingleton<GateStore>();
        services.AddSingleton(sp => new TaskRunner(
            options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<LoadTesterMetrics>(), sp.GetRequiredService<ILogger<TaskRunner>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TaskRunner>());
        services.AddSingleton<LoadTesterEndpoints>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("canary-loadtester", serviceVersion: Version))
            .WithMetrics(m => m.AddMeter(LoadTesterMetrics.MeterName).AddPrometheusExporter(o =>
            {
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
            }));
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Services.GetRequiredService<LoadTesterMetrics>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        var endpoints = app.Services.GetRequiredService<LoadTesterEndpoints>();
        app.Run(endpoints.HandleAsync);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoadTesterOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        if (options.JsonLogs)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }
}
