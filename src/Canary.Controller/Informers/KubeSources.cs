using Canary.Kubernetes.Resources;
using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>List/watch sources for the kinds the controller caches, scoped to one namespace or (null) all.</summary>
public static class KubeSources
{
    /// <summary>apps/v1 Deployments.</summary>
    public static IListWatchSource<V1Deployment> Deployments(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V1Deployment, V1DeploymentList>("Deployment", (a, ct) => ns is null
            ? kube.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>apps/v1 DaemonSets.</summary>
    public static IListWatchSource<V1DaemonSet> DaemonSets(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V1DaemonSet, V1DaemonSetList>("DaemonSet", (a, ct) => ns is null
            ? kube.AppsV1.ListDaemonSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.AppsV1.ListNamespacedDaemonSetWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>v1 Services.</summary>
    public static IListWatchSource<V1Service> Services(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V1Service, V1ServiceList>("Service", (a, ct) => ns is null
            ? kube.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.CoreV1.ListNamespacedServiceWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>v1 ConfigMaps.</summary>
    public static IListWatchSource<V1ConfigMap> ConfigMaps(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V1ConfigMap, V1ConfigMapList>("ConfigMap", (a, ct) => ns is null
            ? kube.CoreV1.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>v1 Events about Canaries only (field selector <c>involvedObject.kind=Canary</c>): what the dashboard shows.</summary>
    public static IListWatchSource<Corev1Event> CanaryEvents(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<Corev1Event, Corev1EventList>("Event", (a, ct) => ns is null
            ? kube.CoreV1.ListEventForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, fieldSelector: CanaryEventSelector, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.CoreV1.ListNamespacedEventWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, fieldSelector: CanaryEventSelector, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>The field selector of <see cref="CanaryEvents"/>.</summary>
    public const string CanaryEventSelector = "involvedObject.kind=Canary";

    /// <summary>
    /// v1 Secrets as metadata only (PartialObjectMetadata: names, labels, resourceVersions, never data), so that knowing
    /// when a Secret changes does not mean holding every Secret of the cluster in memory.
    /// </summary>
    public static IListWatchSource<V1Secret> SecretMetadata(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V1Secret, V1SecretList>("Secret", (a, ct) => ns is null
            ? kube.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, customHeaders: MetadataOnly(a.Watch), cancellationToken: ct)
            : kube.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, customHeaders: MetadataOnly(a.Watch), cancellationToken: ct));

    /// <summary>
    /// apiextensions.k8s.io/v1 CustomResourceDefinitions as metadata only (names and resourceVersions): enough to know
    /// when a missing kind's CRD arrives, without caching every schema of the cluster.
    /// </summary>
    public static IListWatchSource<V1CustomResourceDefinition> CrdMetadata(IKubernetes kube) =>
        new KubeListWatchSource<V1CustomResourceDefinition, V1CustomResourceDefinitionList>("CustomResourceDefinition", (a, ct) =>
            kube.ApiextensionsV1.ListCustomResourceDefinitionWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, customHeaders: MetadataOnly(a.Watch), cancellationToken: ct));

    // client-go's metadata informer asks the same: the list form for lists, the object form for watch events.
    private static Dictionary<string, IReadOnlyList<string>> MetadataOnly(bool? watch) => new(StringComparer.Ordinal)
    {
        ["Accept"] = [watch == true ? "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" : "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"],
    };

    /// <summary>coordination.k8s.io/v1 Leases of one namespace carrying <paramref name="labelSelector"/> (the shard members).</summary>
    public static IListWatchSource<V1Lease> Leases(IKubernetes kube, string ns, string labelSelector) =>
        new KubeListWatchSource<V1Lease, V1LeaseList>("Lease", (a, ct) =>
            kube.CoordinationV1.ListNamespacedLeaseWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, labelSelector: labelSelector, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>autoscaling/v2 HorizontalPodAutoscalers.</summary>
    public static IListWatchSource<V2HorizontalPodAutoscaler> HorizontalPodAutoscalers(IKubernetes kube, string? ns) =>
        new KubeListWatchSource<V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerList>("HorizontalPodAutoscaler", (a, ct) => ns is null
            ? kube.AutoscalingV2.ListHorizontalPodAutoscalerForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerWithHttpMessagesAsync(ns, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));

    /// <summary>A custom resource deserialised as <typeparamref name="T"/> (Canary, MetricTemplate, AlertProvider...).</summary>
    public static IListWatchSource<T> Custom<T, TList>(IKubernetes kube, string? ns, ResourceKind kind)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T>
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new KubeListWatchSource<T, TList>(kind.Kind, (a, ct) => ns is null || !kind.Namespaced
            ? kube.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TList>(kind.Group, kind.Version, kind.Plural, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct)
            : kube.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(kind.Group, kind.Version, ns, kind.Plural, allowWatchBookmarks: a.AllowWatchBookmarks, continueParameter: a.Continue, limit: a.Limit, resourceVersion: a.ResourceVersion, timeoutSeconds: a.TimeoutSeconds, watch: a.Watch, cancellationToken: ct));
    }

    /// <summary>Any custom resource kept as <see cref="GenericObject"/> (router kinds whose CRD may be missing).</summary>
    public static IListWatchSource<GenericObject> Generic(IKubernetes kube, string? ns, ResourceKind kind) =>
        Custom<GenericObject, GenericObjectList>(kube, ns, kind);
}
