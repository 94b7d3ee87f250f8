using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;
using Canary.Kubernetes.Resources;
using Canary.MetricTemplates;
using Canary.MetricTemplates.Analysis;
using Canary.Providers.Routing;
using Canary.Rollout.Controls;
using Canary.Rollout.Engine;
using Canary.Rollout.Events;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;
using Canary.Rollout.Targets.Knative;
using Canary.Webhooks;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Hooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProviderRouterKinds = Canary.Providers.Routing.RouterKinds;
using k8s;

namespace Canary.Controller.Composition;

/// <summary>
/// Composes the rollout engine for the controller: every adapter over the controller's resilient
/// <see cref="IKubernetes"/> and informer caches, with the settings of the command-line flags.
/// </summary>
public static class RolloutServices
{
    /// <summary>Registers the engine, its adapters and <see cref="RolloutReconciler"/> as the <see cref="IReconciler"/>.</summary>
    public static IServiceCollection AddRolloutEngine(this IServiceCollection services, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        // Every provider's routing kinds are cached (not only --mesh-provider's): a Canary may name another in spec.provider.
        foreach (var kind in ProviderRouterKinds.All.Where(k => k.Group.Length > 0))
        {
            services.AddSingleton(new ResourceKind(kind.Group, kind.Version, kind.Plural, kind.Kind));
        }

        // One redirect policy for every outbound client (webhooks, alerts, metric servers).
        services.Configure<Canary.Api.Http.OutboundHttpOptions>(o => Replace(o.AllowedRedirectHosts, options.AllowedRedirectHosts));
        services.AddCanaryWebhooks();
        services.AddCanaryAlerts();
        services.AddCanaryMetricTemplates(o =>
        {
            o.DefaultMetricsServer = options.MetricsServer.OriginalString;
            o.DefaultProvider = options.MeshProvider;
        });
        services.AddSingleton<Secrets.ReferencedSecrets>();
        services.AddSingleton<IMetricTemplateSource, CachedMetricTemplateSource>();
        services.AddSingleton<IAlertProviderSource, CachedAlertProviderSource>();

        services.AddOptions<TrafficRouterOptions>()
            .Configure<IServiceProvider>((o, sp) =>
            {
                o.DefaultProvider = options.MeshProvider;
                Replace(o.SelectorLabels, options.SelectorLabels);
                // The engine can be composed without the host's informers (tests, tools): then every read is a GET.
                o.Cache = sp.GetService<ControllerCaches>() is { } caches ? new CachedRouterObjects(caches) : null;
            })
            .Validate(o => o.SelectorLabels.Count > 0, "at least one selector label is needed")
            .Validate(o => o.MaxConflictRetries >= 1, "conflict retries must be at least 1")
            .Validate(o => o.NginxAnnotationPrefix.Length > 0, "the NGINX annotation prefix must not be empty")
            .ValidateOnStart();
        services.AddOptions<TargetOptions>()
            .Configure(o =>
            {
                o.EnableConfigTracking = options.EnableConfigTracking;
                Replace(o.SelectorLabels, options.SelectorLabels);
                Replace(o.IncludeLabelPrefix, options.IncludeLabelPrefix);
            })
            .Validate(o => o.SelectorLabels.Count > 0, "at least one selector label is needed")
            .ValidateOnStart();
        services.AddOptions<RolloutEngineOptions>()
            .Configure(o => o.Support = ControllerSupport.For(options.MeshProvider))
            .Validate(o => o.ShortRequeue > TimeSpan.Zero, "the short requeue must be positive")
            .ValidateOnStart();
        services.AddSingleton<TrafficRouterFactory>();

        services.AddSingleton<RecentCanaryWrites>();
        services.AddSingleton<TickSchedule>();
        services.AddSingleton<RolloutTelemetry>();
        services.AddSingleton<IClusterReader, CachedClusterReader>();
        services.AddSingleton<ITarget, DeploymentTarget>();
        services.AddSingleton<ITarget, DaemonSetTarget>();
        services.AddSingleton<ITarget>(sp => new CoreServiceTarget(
            sp.GetRequiredService<IClusterReader>(), sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IOptions<TargetOptions>>().Value.CopiedMetadata));
        services.AddSingleton<ITarget>(sp => new KnativeServiceTarget(
            sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<TrafficRouterOptions>>().Value.MaxConflictRetries));
        services.AddSingleton<ITargetResolver>(sp => new TargetResolver(sp.GetServices<ITarget>()));
        services.AddSingleton<IServiceRouter>(sp => new KubernetesServiceRouterAdapter(sp.GetRequiredService<TrafficRouterFactory>().CreateServiceRouter()));
        services.AddSingleton<ITrafficRouterResolver>(sp => new TrafficRouterFactoryResolver(sp.GetRequiredService<TrafficRouterFactory>()));
        services.AddSingleton<IHookGate>(sp => new WebhookRunnerGate(sp.GetRequiredService<WebhookRunner>()));
        services.AddSingleton<IAnalysisRunner>(sp => new MetricsAnalyzerRunner(
            sp.GetRequiredService<MetricsAnalyzer>(), sp.GetRequiredService<IMetricTemplateSource>(), sp.GetRequiredService<RolloutTelemetry>().Analysed));
        services.AddSingleton<IEventRecorder>(sp => new CompositeEventRecorder(
            [new KubernetesEventRecorder(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TimeProvider>()), new EventWebhookRecorder(sp.GetRequiredService<WebhookRunner>())],
            sp.GetRequiredService<ILogger<CompositeEventRecorder>>()));
        services.AddSingleton<IAlertSink>(sp => new AlertDispatcherSink(
            sp.GetRequiredService<AlertDispatcher>(), sp.GetRequiredService<IAlertProviderSource>(), events: sp.GetRequiredService<IEventRecorder>()));
        services.AddSingleton<IStatusWriter>(sp => new ObservedStatusWriter(
            new KubernetesStatusWriter(sp.GetRequiredService<IKubernetes>()), sp.GetRequiredService<RecentCanaryWrites>(), sp.GetRequiredService<RolloutTelemetry>()));
        services.AddSingleton<IControlRequests, CachedControlRequests>();
        services.AddSingleton(sp => new FinalizerWriter(sp.GetRequiredService<IKubernetes>()));
        services.AddSingleton<RolloutEngine>();
        services.AddSingleton<IReconciler, RolloutReconciler>();
        return services;
    }

    private static void Replace(ICollection<string> target, IEnumerable<string> values)
    {
        target.Clear();
        foreach (var value in values)
        {
            target.Add(value);
        }
    }
}
