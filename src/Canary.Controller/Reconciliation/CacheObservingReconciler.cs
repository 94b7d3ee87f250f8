using Canary.Controller.Informers;
using Canary.Controller.Telemetry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Canary.Controller.Reconciliation;

/// <summary>
/// The placeholder reconciler until the rollout engine lands: it reads the Canary and its target from the caches
/// and records what it saw (a log line and <c>canary_reconciler_observations_total</c>). It changes nothing and
/// asks for no requeue, so idle Canaries cost nothing.
/// </summary>
public sealed partial class CacheObservingReconciler(ControllerCaches caches, ControllerMetrics metrics, ILogger<CacheObservingReconciler> logger) : IReconciler
{
    /// <inheritdoc />
    public Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken)
    {
        var canary = caches.Canaries.Store.Get(key.Namespace, key.Name);
        if (canary is null)
        {
            Gone(logger);
            Observed("none");
            return Task.FromResult(ReconcileResult.Done);
        }

        var target = canary.Spec?.TargetRef;
        var kind = target?.Kind ?? "Deployment";
        IKubernetesObject<V1ObjectMeta>? found = kind switch
        {
            "Deployment" => caches.Deployments.Store.Get(key.Namespace, target?.Name ?? string.Empty),
            "DaemonSet" => caches.DaemonSets.Store.Get(key.Namespace, target?.Name ?? string.Empty),
            "Service" => caches.Services.Store.Get(key.Namespace, target?.Name ?? string.Empty),
            _ => null,
        };
        Saw(logger, canary.Metadata.Generation ?? 0, kind, target?.Name ?? "<none>", found?.Metadata.ResourceVersion ?? "<missing>");
        Observed(found is null ? "canary" : "target");
        return Task.FromResult(ReconcileResult.Done);
    }

    private void Observed(string found) =>
        metrics.Observations.Add(1, new KeyValuePair<string, object?>("found", found));

    [LoggerMessage(2001, LogLevel.Debug, "Canary is not in the cache (deleted)")]
    private static partial void Gone(ILogger logger);

    [LoggerMessage(2002, LogLevel.Information, "Observed canary generation {Generation}, target {Kind}/{Target} at resourceVersion {TargetVersion}")]
    private static partial void Saw(ILogger logger, long generation, string kind, string target, string targetVersion);
}
