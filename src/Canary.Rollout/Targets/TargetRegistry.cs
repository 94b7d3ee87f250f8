using Canary.Api.V1Beta1;
using Canary.Providers.Registry;

namespace Canary.Rollout.Targets;

/// <summary>A workload kind a Canary can target, with the RBAC rules handling it needs and what it can do.</summary>
/// <param name="Kind">The <c>targetRef.kind</c> value.</param>
/// <param name="Rules">Rules for the target and its primary clone.</param>
/// <param name="SupportsWeights">
/// False for kinds rolled out blue/green-style only (DaemonSet, as Flagger): the plan switches traffic after iterations
/// instead of stepping weights, and validation refuses weight settings.
/// </param>
/// <param name="OwnsServices">
/// True when the target itself creates the <c>-primary</c>/<c>-canary</c> Services (a core Service target, Flagger's
/// KubernetesNoopRouter; its <see cref="ITarget"/> is an <see cref="IOwnsServices"/>): no generated apex is taken over.
/// </param>
/// <param name="Autoscaled">True when an <c>autoscalerRef</c> applies (a workload with replicas); refused otherwise.</param>
public sealed record TargetKindEntry(string Kind, IReadOnlyList<RbacRule> Rules, bool SupportsWeights = true, bool OwnsServices = false, bool Autoscaled = false);

/// <summary>
/// The target and autoscaler kinds this controller implements: validation refuses the others by field path, and the
/// RBAC manifest test checks their rules. Adding one = its target files plus one line here.
/// </summary>
public static class TargetRegistry
{
    /// <summary>Implemented targets, by <see cref="TargetKinds.KeyOf"/> (a kind, or a Knative Service).</summary>
    public static IReadOnlyList<TargetKindEntry> Targets { get; } =
    [
        // Patch: the user's workload is only ever scaled (replicas, or a DaemonSet's parking nodeSelector), never replaced.
        new(TargetKinds.Deployment, [new RbacRule("apps", "deployments", [.. RbacRule.ReadWrite, "patch"])], Autoscaled: true),
        new(TargetKinds.DaemonSet, [new RbacRule("apps", "daemonsets", [.. RbacRule.ReadWrite, "patch"])], SupportsWeights: false),
        new(TargetKinds.Service, [new RbacRule(string.Empty, "services", RbacRule.ReadWrite)], OwnsServices: true),

        // The knative provider's rules cover the Knative Service and its Revisions; the target needs no more.
        new(TargetKinds.KnativeService, [], OwnsServices: true),
    ];

    /// <summary>Implemented <c>autoscalerRef.kind</c> values.</summary>
    public static IReadOnlyList<TargetKindEntry> Autoscalers { get; } =
    [
        new(AutoscalerKinds.HorizontalPodAutoscaler, [new RbacRule("autoscaling", "horizontalpodautoscalers", RbacRule.ReadWrite)]),
        // Read with targeted GETs (no cache), and the user's one paused between rollouts by a patch of one annotation.
        new(AutoscalerKinds.ScaledObject, [new RbacRule("keda.sh", "scaledobjects", ["get", "create", "update", "patch"])]),
    ];

    /// <summary>Every rule of every implemented target and autoscaler kind.</summary>
    public static IEnumerable<RbacRule> AllRules => Targets.Concat(Autoscalers).SelectMany(t => t.Rules);

    /// <summary>The entry of target key <paramref name="kind"/> (<see cref="TargetKinds.KeyOf"/>; empty is a Deployment, the CRD default), or null when not implemented.</summary>
    public static TargetKindEntry? Find(string? kind)
    {
        var wanted = string.IsNullOrEmpty(kind) ? TargetKinds.Deployment : kind;
        return Targets.FirstOrDefault(t => t.Kind == wanted);
    }
}
