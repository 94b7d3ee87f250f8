using k8s.Models;

namespace Canary.Rollout.Engine;

/// <summary>
/// Read access to the objects a tick needs. The controller implements it over its informer caches (no API calls in steady
/// state); <see cref="KubernetesClusterReader"/> reads straight from the API server (tests, tools). Null = not found.
/// </summary>
public interface IClusterReader
{
    /// <summary>The Canary, or null when it no longer exists.</summary>
    Task<CanaryResource?> GetCanaryAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A Deployment (target or primary).</summary>
    Task<V1Deployment?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A DaemonSet (target or primary).</summary>
    Task<V1DaemonSet?> GetDaemonSetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A Service (a Service target, its primary and canary copies).</summary>
    Task<V1Service?> GetServiceAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A ConfigMap referenced by the target (or its primary copy).</summary>
    Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A Secret referenced by the target (or its primary copy).</summary>
    Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>A HorizontalPodAutoscaler (autoscaling/v2).</summary>
    Task<V2HorizontalPodAutoscaler?> GetHorizontalPodAutoscalerAsync(string ns, string name, CancellationToken cancellationToken);
}
