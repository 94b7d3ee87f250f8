using Canary.Api.V1Beta1;
using Canary.Controller.Hosting;
using Canary.Controller.Telemetry;
using Canary.Kubernetes.Resources;
using CanaryResource = Canary.Api.V1Beta1.Canary;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>
/// Every cache the controller reads from, one informer per kind, scoped by <c>--namespace</c>: Canary, CanaryRequest,
/// MetricTemplate, AlertProvider, Deployment, DaemonSet, Service, HPA, Secret metadata (never their data),
/// ConfigMap (with config tracking), and the router kinds of the mesh provider plus
/// every extra <see cref="ResourceKind"/> registered in DI as generic objects (a missing CRD is tolerated, and looked
/// for again when <see cref="Crds"/> sees it arrive).
/// </summary>
public sealed class ControllerCaches
{
    /// <summary>Creates the informers (they run once <see cref="InformerHostedService"/> starts).</summary>
    public ControllerCaches(
        IKubernetes kube, ControllerOptions options, InformerOptions informerOptions, TimeProvider time,
        ILoggerFactory loggers, ControllerMetrics metrics, IEnumerable<ResourceKind> extraRouterKinds)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var ns = options.Namespace;
        var logger = loggers.CreateLogger("Canary.Controller.Informers");
        Crds = new CrdWatch(new(KubeSources.CrdMetadata(kube), informerOptions with { ForbiddenIsNotServed = true }, time, logger, metrics), time);
        ResourceInformer<T> Informer<T>(IListWatchSource<T> source, ResourceKind? custom = null)
            where T : class, IKubernetesObject<V1ObjectMeta> => new(source, informerOptions, time, logger, metrics, custom is null ? null : Crds.For(custom));
        ResourceInformer<T> CustomInformer<T, TList>(string plural, string kind)
            where T : class, IKubernetesObject<V1ObjectMeta>
            where TList : IKubernetesObject<V1ListMeta>, IItems<T>
        {
            var resource = new ResourceKind(CanaryApi.Group, CanaryApi.Version, plural, kind);
            return Informer(KubeSources.Custom<T, TList>(kube, ns, resource), resource);
        }

        Canaries = CustomInformer<CanaryResource, CanaryList>(CanaryResource.KubePluralName, CanaryResource.KubeKind);
        Canaries.Store.AddIndexer(CanaryIndexes.ByTarget, CanaryIndexes.Target);
        Canaries.Store.AddIndexer(CanaryIndexes.ByService, CanaryIndexes.Service);
        Canaries.Store.AddIndexer(CanaryIndexes.ByAutoscaler, CanaryIndexes.Autoscaler);
        MetricTemplates = CustomInformer<MetricTemplate, MetricTemplateList>(MetricTemplate.KubePluralName, MetricTemplate.KubeKind);
        CanaryRequests = CustomInformer<CanaryRequest, CanaryRequestList>(CanaryRequest.KubePluralName, CanaryRequest.KubeKind);
        CanaryRequests.Store.AddIndexer(CanaryIndexes.ByCanary, CanaryIndexes.RequestedCanary);
        AlertProviders = CustomInformer<AlertProvider, AlertProviderList>(AlertProvider.KubePluralName, AlertProvider.KubeKind);
        Deployments = Informer(KubeSources.Deployments(kube, ns));
        Deployments.Store.AddIndexer(CanaryIndexes.ByConfig, d => CanaryIndexes.Config(d.Metadata.NamespaceProperty, d.Spec?.Template));
        DaemonSets = Informer(KubeSources.DaemonSets(kube, ns));
        DaemonSets.Store.AddIndexer(CanaryIndexes.ByConfig, d => CanaryIndexes.Config(d.Metadata.NamespaceProperty, d.Spec?.Template));
        Services = Informer(KubeSources.Services(kube, ns));
        HorizontalPodAutoscalers = Informer(KubeSources.HorizontalPodAutoscalers(kube, ns));
        // Metadata only: a change of a tracked Secret re-queues its Canaries; the data of the few Secrets the controller
        // reads comes from ReferencedSecrets.
        Secrets = Informer(KubeSources.SecretMetadata(kube, ns));
        if (options.EnableConfigTracking)
        {
            ConfigMaps = Informer(KubeSources.ConfigMaps(kube, ns));
        }

        if (options.DashboardPort != 0)
        {
            CanaryEvents = Informer(KubeSources.CanaryEvents(kube, ns));
            CanaryEvents.Store.AddIndexer(CanaryIndexes.ByCanary, e => [CanaryIndexes.CanaryKey(e.Metadata.NamespaceProperty, e.InvolvedObject?.Name ?? string.Empty)]);
        }

        var routerKinds = RouterKinds.For(options.MeshProvider).Concat(extraRouterKinds).Distinct().ToList();
        RoutersByKind = routerKinds.ToDictionary(k => k, k => Informer(new NamedSource<GenericObject>(RouterKindName(k, routerKinds), KubeSources.Generic(kube, ns, k)), k));
        Routers = [.. RoutersByKind.Values];
        IResourceInformer?[] optional = [ConfigMaps, CanaryEvents];
        All = [Crds.Informer, Canaries, CanaryRequests, MetricTemplates, AlertProviders, Deployments, DaemonSets, Services, HorizontalPodAutoscalers, Secrets,
            .. optional.OfType<IResourceInformer>(), .. Routers];
    }

    /// <summary>CRDs (metadata only): wakes the informers of kinds that are not served yet.</summary>
    public CrdWatch Crds { get; }

    /// <summary>Canaries.</summary>
    public ResourceInformer<CanaryResource> Canaries { get; }

    /// <summary>CanaryRequests: the controls asked of Canaries.</summary>
    public ResourceInformer<CanaryRequest> CanaryRequests { get; }

    /// <summary>MetricTemplates.</summary>
    public ResourceInformer<MetricTemplate> MetricTemplates { get; }

    /// <summary>AlertProviders.</summary>
    public ResourceInformer<AlertProvider> AlertProviders { get; }

    /// <summary>Deployments (targets and primaries).</summary>
    public ResourceInformer<V1Deployment> Deployments { get; }

    /// <summary>DaemonSets (targets and primaries).</summary>
    public ResourceInformer<V1DaemonSet> DaemonSets { get; }

    /// <summary>Services (apex, -canary, -primary).</summary>
    public ResourceInformer<V1Service> Services { get; }

    /// <summary>HorizontalPodAutoscalers.</summary>
    public ResourceInformer<V2HorizontalPodAutoscaler> HorizontalPodAutoscalers { get; }

    /// <summary>ConfigMaps; null without config tracking.</summary>
    public ResourceInformer<V1ConfigMap>? ConfigMaps { get; }

    /// <summary>Events about Canaries, for the dashboard; null without one.</summary>
    public ResourceInformer<Corev1Event>? CanaryEvents { get; }

    /// <summary>Secrets' metadata only (no data: see <c>ReferencedSecrets</c>).</summary>
    public ResourceInformer<V1Secret> Secrets { get; }

    /// <summary>The router kinds of the mesh provider and of every other provider registered.</summary>
    public IReadOnlyList<ResourceInformer<GenericObject>> Routers { get; }

    /// <summary>The router informers by the kind they cache.</summary>
    public IReadOnlyDictionary<ResourceKind, ResourceInformer<GenericObject>> RoutersByKind { get; }

    /// <summary>Every informer.</summary>
    public IReadOnlyList<IResourceInformer> All { get; }

    /// <summary>True once every cache has synced.</summary>
    public bool HasSynced => All.All(i => i.HasSynced);

    /// <summary>Completes once every cache has synced.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(All.Select(i => i.WaitForSyncAsync(cancellationToken)));

    // Kind.group names a cache; a resource served at two versions (HTTPRoute v1 and v1beta1) also gets its version.
    private static string RouterKindName(ResourceKind kind, IReadOnlyList<ResourceKind> all) =>
        all.Count(k => k.Group == kind.Group && k.Plural == kind.Plural) > 1
            ? $"{kind.Kind}.{kind.Version}.{kind.Group}"
            : $"{kind.Kind}.{kind.Group}";

    // Gives a generic router source a kind name that is unique across groups (Service.serving.knative.dev).
    private sealed class NamedSource<T>(string kind, IListWatchSource<T> inner) : IListWatchSource<T>
        where T : IKubernetesObject<V1ObjectMeta>
    {
        public string Kind => kind;

        public Task<ListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(continueToken, limit, cancellationToken);

        public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken) =>
            inner.WatchAsync(resourceVersion, timeoutSeconds, cancellationToken);
    }
}
