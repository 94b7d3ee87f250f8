using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using Canary.Controller.Composition;
using Canary.Controller.Hosting;
using Canary.Controller.Reconciliation;
using Canary.Controller.Telemetry;
using Canary.Controller.Tests.Composition;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Canary.Controller.Tests.Telemetry;

/// <summary>
/// OTLP export driven by the standard OTEL_* variables. The settings are injected into the host's container (not the
/// process environment, which tests running in parallel share) and exported to a real loopback HTTP receiver.
/// </summary>
public sealed class OtlpExportTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Nothing_is_exported_without_an_endpoint()
    {
        var settings = OtlpExportSettings.FromConfiguration(Config(("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));
        Assert.Null(settings.Traces);
        Assert.Null(settings.Metrics);
        Assert.Equal("canary-controller", settings.ServiceName);
    }

    [Fact]
    public void The_shared_endpoint_gets_the_signal_path_over_http_and_is_used_as_is_over_grpc()
    {
        var http = OtlpExportSettings.FromConfiguration(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), ("OTEL_SERVICE_NAME", "ctl")));
        Assert.Equal(new OtlpSignalTarget(new Uri("http://collector:4318/v1/traces"), OtlpExportProtocol.HttpProtobuf, null), http.Traces);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), http.Metrics?.Endpoint);
        Assert.Equal("ctl", http.ServiceName);

        var grpc = OtlpExportSettings.FromConfiguration(Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=1")));
        Assert.Equal(new OtlpSignalTarget(new Uri("http://collector:4317"), OtlpExportProtocol.Grpc, "api-key=1"), grpc.Traces);
    }

    [Fact]
    public void A_signal_endpoint_is_used_as_is_and_exports_that_signal_only()
    {
        var settings = OtlpExportSettings.FromConfiguration(Config(
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/otlp"), ("OTEL_BSP_SCHEDULE_DELAY", "200")));
        Assert.Equal(new Uri("https://traces.example/otlp"), settings.Traces?.Endpoint);
        Assert.Null(settings.Metrics);
        Assert.Equal(200, settings.BatchDelayMilliseconds);

        var off = OtlpExportSettings.FromConfiguration(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_METRICS_EXPORTER", "none")));
        Assert.NotNull(off.Traces);
        Assert.Null(off.Metrics);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "soon")]
    public void A_malformed_variable_is_named(string key, string value)
    {
        var config = Config(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"), (key, value));
        var e = Assert.Throws<InvalidOperationException>(() => OtlpExportSettings.FromConfiguration(config));
        Assert.StartsWith(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_reconcile_records_the_exception_as_an_event()
    {
        using var activity = new Activity(ReconcileTracing.SpanName).Start();
        ReconcileTracing.Failed(activity, new InvalidOperationException("boom"));
        Assert.Equal("error", activity.GetTagItem("canary.outcome"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        var exception = Assert.Single(activity.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Contains(exception.Tags, t => t.Key == "exception.message" && (string?)t.Value == "boom");

        ReconcileTracing.Phase(Canary.Api.V1Beta1.CanaryPhase.Progressing);
        Assert.Equal("Progressing", activity.GetTagItem("canary.phase"));
    }

    [Fact]
    public async Task Reconcile_spans_reach_an_otlp_http_receiver_with_the_service_name()
    {
        const string ns = "otlp";
        const string service = "canary-otlp-test";
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var sandbox = await EngineSandbox.StartAsync(ns);
        sandbox.Create(BuiltInResources.Deployments, ns, SandboxKit.Deployment(ns, "traced"));
        sandbox.Create(SandboxKit.Canaries, ns, EngineSandbox.Canary(ns, "traced"));
        var config = Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.BaseUrl.ToString()),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_SERVICE_NAME", service),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "500"));
        await using var host = await Host.StartAsync(sandbox.Cluster.Server, config, withEngine: true);
        Assert.NotNull(Processor(host.App.Services.GetRequiredService<TracerProvider>()));

        await SandboxKit.EventuallyAsync(() => sandbox.Phase(ns, "traced") == "Initialized", TimeSpan.FromSeconds(60), "the canary is initialized");

        // Spans of other hosts in this process may share the export (the ActivitySource is process-wide); the Canary's
        // name only exists in this sandbox, and the phase only in a span of the engine that initialized it.
        await SandboxKit.EventuallyAsync(
            () => receiver.Contains("/v1/traces", "reconcile", service, ControllerHost.Version, "traced", "canary.phase", "Initialized", "canary.outcome"),
            TimeSpan.FromSeconds(30), "a trace export with the reconcile span of the canary");
        Assert.All(receiver.Requests("/v1/traces"), r => Assert.Equal("application/x-protobuf", r.ContentType));
        await SandboxKit.EventuallyAsync(
            () => receiver.Contains("/v1/metrics", ControllerMetrics.MeterName, "canary_reconcile_total", service), TimeSpan.FromSeconds(30), "a metric export");
    }

    [Fact]
    public async Task Without_an_endpoint_no_exporter_is_registered_and_nothing_is_sent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await SandboxKit.StartAsync();
        SandboxKit.SeedCanaries(server, 1);

        // Everything but an endpoint: the receiver's URL appears nowhere, so the only way to reach it would be a bug.
        var config = Config(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_BSP_SCHEDULE_DELAY", "100"), ("OTEL_METRIC_EXPORT_INTERVAL", "100"));
        await using var host = await Host.StartAsync(server, config, withEngine: false);
        var settings = host.App.Services.GetRequiredService<OtlpExportSettings>();
        Assert.Null(settings.Traces);
        Assert.Null(settings.Metrics);

        // No processor at all: the SDK still records the spans (sampling), but hands them to nobody.
        Assert.Null(Processor(host.App.Services.GetRequiredService<TracerProvider>()));
        await SandboxKit.EventuallyAsync(() => host.App.Services.GetRequiredService<RecordingReconciler>().Total > 0, because: "a reconcile ran");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Empty(receiver.Requests("/v1/traces"));
    }

    /// <summary>The SDK's span processor chain (internal; the positive test proves the lookup still finds it).</summary>
    private static object? Processor(TracerProvider provider)
    {
        var property = provider.GetType().GetProperty("Processor", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        Assert.NotNull(property);
        return property.GetValue(provider);
    }

    /// <summary>The controller host with the OTLP settings read from a test configuration instead of the environment.</summary>
    private sealed class Host(WebApplication app, string kubeconfig) : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public static async Task<Host> StartAsync(SandboxApiServer server, IConfiguration config, bool withEngine)
        {
            var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-kubeconfig-{Guid.NewGuid():N}.yaml"));
            var options = new ControllerOptions
            {
                Kubeconfig = kubeconfig,
                HealthPort = SandboxKit.FreePort(),
                MetricsPort = SandboxKit.FreePort(),
                LogFormat = LogFormat.Text,
                MeshProvider = "kubernetes",
                WatchTimeout = TimeSpan.FromSeconds(30),
            };
            var app = ControllerHost.Build(options, services =>
            {
                services.Replace(ServiceDescriptor.Singleton(OtlpExportSettings.FromConfiguration(config)));
                services.AddSingleton<RecordingReconciler>();
                if (!withEngine)
                {
                    services.Replace(ServiceDescriptor.Singleton<IReconciler>(sp => sp.GetRequiredService<RecordingReconciler>()));
                }
            });
            await app.StartAsync();
            return new Host(app, kubeconfig);
        }

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
            File.Delete(kubeconfig);
        }
    }

    /// <summary>A loopback OTLP/HTTP receiver that keeps every POST (path, content type, body).</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Received> _received = new();
        private WebApplication? _app;

        public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

        public static async Task<OtlpReceiver> StartAsync()
        {
            var receiver = new OtlpReceiver();
            var port = SandboxKit.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                receiver._received.Enqueue(new Received(context.Request.Path, context.Request.ContentType, body.ToArray()));

                // An empty Export*ServiceResponse is zero bytes of protobuf: full success.
                context.Response.ContentType = "application/x-protobuf";
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync();
            receiver._app = app;
            receiver.BaseUrl = new Uri($"http://127.0.0.1:{port}");
            return receiver;
        }

        public IReadOnlyList<Received> Requests(string path) => [.. _received.Where(r => r.Path == path)];

        /// <summary>Whether one export to <paramref name="path"/> holds every string (protobuf strings are plain UTF-8).</summary>
        public bool Contains(string path, params string[] texts) =>
            Requests(path).Any(r => texts.All(t => r.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t)) >= 0));

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }

        public sealed record Received(string Path, string? ContentType, byte[] Body);
    }
}
