using Canary.Controller.Informers;
using Canary.Controller.Queue;
using Canary.Providers.Naming;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Reconciliation;

/// <summary>
/// Turns cache changes into work: a Canary change or a new CanaryRequest enqueues it; a change to its target, primary, Services,
/// autoscaler, a ConfigMap/Secret its target references, or a router object it owns enqueues the owning Canary.
/// All lookups go through the cache indexes: no API calls.
/// </summary>
public sealed class CanaryEventRouter
{
    private const string KnativeServiceLabel = "serving.knative.dev/service";

    private readonly ControllerCaches _caches;
    private readonly WorkQueue<CanaryKey> _queue;

    /// <summary>Subscribes to every informer of <paramref name="caches"/>.</summary>
    public CanaryEventRouter(ControllerCaches caches, WorkQueue<CanaryKey> queue)
    {
        _caches = caches ?? throw new ArgumentNullException(nameof(caches));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        caches.Canaries.AddHandler(OnCanary);
        // A control not yet handled (our own status patch of a handled one changes nothing).
        caches.CanaryRequests.AddHandler(e =>
        {
            if (e.Type != ResourceEventType.Deleted && e.Current.Status?.Result is null && e.Current.Spec?.Canary is { Length: > 0 } canary)
            {
                _queue.Add(new CanaryKey(e.Current.Metadata.NamespaceProperty, canary));
            }
        });
        caches.Deployments.AddHandler(e => OnWorkload("Deployment", e.Current.Metadata));
        caches.DaemonSets.AddHandler(e => OnWorkload("DaemonSet", e.Current.Metadata));
        caches.Services.AddHandler(e => OnService(e.Current.Metadata));
        caches.HorizontalPodAutoscalers.AddHandler(e => OnAutoscaler(e.Current.Metadata));
        caches.ConfigMaps?.AddHandler(e => OnConfig("configmap", e.Current.Metadata));
        caches.Secrets.AddHandler(e => OnConfig("secret", e.Current.Metadata));
        foreach (var router in caches.Routers)
        {
            // A router object may be a target too (a Knative Service: its cache is named Service.serving.knative.dev,
            // the target key), or belong to one (a Knative Revision names its Service in a label).
            var kind = router.Kind;
            router.AddHandler(e =>
            {
                OnOwned(e.Current.Metadata);
                OnWorkload(kind, e.Current.Metadata);
                if (e.Current.Metadata.Labels?.TryGetValue(KnativeServiceLabel, out var service) == true)
                {
                    EnqueueAll(_caches.Canaries.Store.ByIndex(CanaryIndexes.ByTarget, CanaryIndexes.TargetKey(e.Current.Metadata.NamespaceProperty, Api.V1Beta1.TargetKinds.KnativeService, service)));
                }
            });
        }
    }

    /// <summary>Whether a Canary change needs a reconcile: not for status-only writes (our own), which would loop.</summary>
    public static bool IsRelevant(ResourceEvent<CanaryResource> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type != ResourceEventType.Updated || change.Old is null)
        {
            return true;
        }

        var (o, n) = (change.Old.Metadata, change.Current.Metadata);
        return o.Generation != n.Generation
            || n.DeletionTimestamp is not null
            || !SameMap(o.Labels, n.Labels)
            || !SameMap(o.Annotations, n.Annotations)
            || !(o.Finalizers ?? []).SequenceEqual(n.Finalizers ?? []);
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b != null && b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private void OnCanary(ResourceEvent<CanaryResource> change)
    {
        if (IsRelevant(change))
        {
            Enqueue(change.Current);
        }
    }

    private void OnWorkload(string kind, V1ObjectMeta meta)
    {
        var ns = meta.NamespaceProperty;
        EnqueueAll(_caches.Canaries.Store.ByIndex(CanaryIndexes.ByTarget, CanaryIndexes.TargetKey(ns, kind, meta.Name)));
        if (meta.Name.EndsWith(CanaryNames.PrimarySuffix, StringComparison.Ordinal))
        {
            var target = meta.Name[..^CanaryNames.PrimarySuffix.Length];
            EnqueueAll(_caches.Canaries.Store.ByIndex(CanaryIndexes.ByTarget, CanaryIndexes.TargetKey(ns, kind, target)));
        }
    }

    private void OnService(V1ObjectMeta meta)
    {
        EnqueueAll(_caches.Canaries.Store.ByIndex(CanaryIndexes.ByService, $"{meta.NamespaceProperty}/{meta.Name}"));
        OnWorkload("Service", meta);
    }

    private void OnAutoscaler(V1ObjectMeta meta)
    {
        var name = meta.Name.EndsWith(CanaryNames.PrimarySuffix, StringComparison.Ordinal)
            ? meta.Name[..^CanaryNames.PrimarySuffix.Length]
            : meta.Name;
        EnqueueAll(_caches.Canaries.Store.ByIndex(CanaryIndexes.ByAutoscaler, $"{meta.NamespaceProperty}/{name}"));
    }

    private void OnConfig(string kind, V1ObjectMeta meta)
    {
        var key = CanaryIndexes.ConfigKey(meta.NamespaceProperty, kind, meta.Name);
        foreach (var deployment in _caches.Deployments.Store.ByIndex(CanaryIndexes.ByConfig, key))
        {
            OnWorkload("Deployment", deployment.Metadata);
        }

        foreach (var daemonSet in _caches.DaemonSets.Store.ByIndex(CanaryIndexes.ByConfig, key))
        {
            OnWorkload("DaemonSet", daemonSet.Metadata);
        }
    }

    private void OnOwned(V1ObjectMeta meta)
    {
        foreach (var owner in meta.OwnerReferences ?? [])
        {
            if (owner.Kind == CanaryResource.KubeKind && owner.ApiVersion?.StartsWith(Api.V1Beta1.CanaryApi.Group + "/", StringComparison.Ordinal) == true)
            {
                _queue.Add(new CanaryKey(meta.NamespaceProperty, owner.Name));
            }
        }
    }

    private void EnqueueAll(IReadOnlyList<CanaryResource> canaries)
    {
        foreach (var canary in canaries)
        {
            Enqueue(canary);
        }
    }

    private void Enqueue(CanaryResource canary) =>
        _queue.Add(new CanaryKey(canary.Metadata.NamespaceProperty, canary.Metadata.Name));
}
