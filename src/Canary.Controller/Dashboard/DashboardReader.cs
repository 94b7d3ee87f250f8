using Canary.Api.V1Beta1;
using Canary.Controller.Informers;
using Canary.Views;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Dashboard;

/// <summary>Every Canary, or the namespaces they live in, as the overview shows them.</summary>
/// <param name="Canaries">One row per Canary, by namespace then name.</param>
/// <param name="Namespaces">Every namespace holding a Canary (the filter's choices).</param>
/// <param name="Controls">Whether the dashboard offers the control buttons.</param>
public sealed record DashboardOverview(IReadOnlyList<CanaryRow> Canaries, IReadOnlyList<string> Namespaces, bool Controls);

/// <summary>One Canary's page: the same screen as <c>kubectl canary status</c>.</summary>
/// <param name="Screen">The Canary, its checks, webhooks, controls, Events and revisions.</param>
/// <param name="Controls">Whether the dashboard offers the control buttons.</param>
public sealed record DashboardCanary(CanaryScreen Screen, bool Controls);

/// <summary>What the dashboard shows, read from the informer caches only: no request to the API server per viewer.</summary>
public sealed class DashboardReader(ControllerCaches caches, TimeProvider time, bool controls)
{
    /// <summary>Every Canary (of <paramref name="ns"/> when given).</summary>
    public DashboardOverview Overview(string? ns)
    {
        var now = time.GetUtcNow();
        var all = caches.Canaries.Store.List();
        var rows = all
            .Where(c => string.IsNullOrEmpty(ns) || c.Metadata.NamespaceProperty == ns)
            .OrderBy(c => c.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .Select(c => CanaryRow.Of(c, now))
            .ToList();
        var namespaces = all.Select(c => c.Metadata.NamespaceProperty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new DashboardOverview(rows, namespaces, controls);
    }

    /// <summary>The Canary <paramref name="ns"/>/<paramref name="name"/>, or null when there is none.</summary>
    public DashboardCanary? Canary(string ns, string name)
    {
        if (caches.Canaries.Store.Get(ns, name) is not { } canary)
        {
            return null;
        }

        var events = caches.CanaryEvents?.Store.ByIndex(CanaryIndexes.ByCanary, CanaryIndexes.CanaryKey(ns, name))
            .Where(e => string.IsNullOrEmpty(e.InvolvedObject?.Uid) || e.InvolvedObject.Uid == canary.Metadata.Uid) ?? [];
        return new DashboardCanary(CanaryScreenBuilder.Build(canary, events, Images(canary)), controls);
    }

    // From the workload caches; a kind the controller does not cache (a Knative Service) shows no images.
    private WorkloadImages Images(CanaryResource canary)
    {
        var ns = canary.Metadata.NamespaceProperty;
        var target = canary.Spec.TargetRef;
        var name = target?.Name ?? string.Empty;
        var primary = name + CanaryApi.PrimarySuffix;
        return TargetKinds.KeyOf(target) switch
        {
            TargetKinds.Deployment => new WorkloadImages(ImagesOf(caches.Deployments.Store.Get(ns, name)?.Spec?.Template), ImagesOf(caches.Deployments.Store.Get(ns, primary)?.Spec?.Template)),
            TargetKinds.DaemonSet => new WorkloadImages(ImagesOf(caches.DaemonSets.Store.Get(ns, name)?.Spec?.Template), ImagesOf(caches.DaemonSets.Store.Get(ns, primary)?.Spec?.Template)),
            _ => WorkloadImages.None,
        };
    }

    private static IReadOnlyList<string>? ImagesOf(V1PodTemplateSpec? template) =>
        template?.Spec?.Containers is { } containers ? [.. containers.Select(c => c.Image ?? string.Empty)] : null;
}
