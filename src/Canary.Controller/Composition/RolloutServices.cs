using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;
using Canary.Kubernetes.Resources;
using Canary.MetricTemplates;
using Canary.MetricTemplates.Analysis;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Events;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;
using Canary.Webhooks;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Hooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

        services.AddCanaryWebhooks();
        services.AddCanaryAlerts();
        services.AddCanaryMetricTemplates(o =>
        {
            o.DefaultMetricsServer = options.MetricsServer.OriginalString;
            o.DefaultProvider = options.MeshProvider;
        });
        services.AddSingleton<IMetricTemplateSource, CachedMetricTemplateSource>();
        services.AddSingleton<IAlertProviderSource, CachedAlertProviderSource>();

        var routing = new TrafficRouterOptions { DefaultProvider = options.MeshProvider };
        var targets = new TargetOptions { EnableConfigTracking = options.EnableConfigTracking };
        routing.SelectorLabels.Clear();
        targets.SelectorLabels.Clear();
        foreach (var label in options.SelectorLabels)
        {
            routing.SelectorLabels.Add(label);
            targets.SelectorLabels.Add(label);
        }

        services.AddSingleton(routing);
        services.AddSingleton(targets);
        services.AddSingleton(new RolloutEngineOptions { Support = ControllerSupport.For(options.MeshProvider) });
        services.AddSingleton(sp => new TrafficRouterFactory(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TrafficRouterOptions>()));

        services.AddSingleton<RecentCanaryWrites>();
        services.AddSingleton<TickSchedule>();
        services.AddSingleton<RolloutTelemetry>();
        services.AddSingleton<IClusterReader, CachedClusterReader>();
        services.AddSingleton<ITarget>(sp => new DeploymentTarget(
            sp.GetRequiredService<IClusterReader>(), sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TargetOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITarget>(sp => new DaemonSetTarget(
            sp.GetRequiredService<IClusterReader>(), sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TargetOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITarget>(sp => new CoreServiceTarget(sp.GetRequiredService<IClusterReader>(), sp.GetRequiredService<IKubernetes>()));
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
        services.AddSingleton(sp => new FinalizerWriter(sp.GetRequiredService<IKubernetes>()));
        services.AddSingleton<RolloutEngine>();
        services.AddSingleton<IReconciler, RolloutReconciler>();
        return services;
    }
}
