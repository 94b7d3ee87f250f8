using Canary.MetricTemplates.Templates;
using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>The target and its primary as observed at the start of a tick.</summary>
/// <param name="Target">The user's workload (Deployment, DaemonSet) or Service.</param>
/// <param name="Primary">The primary clone, null before initialization.</param>
/// <param name="Selector">The pod selector label of the target; null for a Service target (no generated Services).</param>
/// <param name="PodSpec">The target's pod spec (port discovery); null for a Service target.</param>
/// <param name="Configs">Tracked ConfigMaps/Secrets of the target now.</param>
/// <param name="Revision">Pod template (or Service spec) hash + config checksums.</param>
/// <param name="CanaryReadiness">Readiness of the target.</param>
/// <param name="PrimaryReadiness">Readiness of the primary (Waiting when absent).</param>
public sealed record TargetSnapshot(
    IKubernetesObject<V1ObjectMeta> Target,
    IKubernetesObject<V1ObjectMeta>? Primary,
    TargetSelector? Selector,
    V1PodSpec? PodSpec,
    TrackedConfigs Configs,
    Revision Revision,
    Readiness CanaryReadiness,
    Readiness PrimaryReadiness)
{
    /// <summary>The routes the metric queries read when the target decides them (a Knative Service's revisions); null otherwise.</summary>
    public MetricRoutes? MetricRoutes { get; init; }
}
