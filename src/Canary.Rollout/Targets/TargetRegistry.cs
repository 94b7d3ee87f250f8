using Canary.Api.V1Beta1;
using Canary.Providers.Registry;

namespace Canary.Rollout.Targets;

/// <summary>A workload kind a Canary can target, with the RBAC rules handling it needs.</summary>
/// <param name="Kind">The <c>targetRef.kind</c> value.</param>
/// <param name="Rules">Rules for the target and its primary clone.</param>
public sealed record TargetKindEntry(string Kind, IReadOnlyList<RbacRule> Rules);

/// <summary>
/// The target and autoscaler kinds this controller implements: validation refuses the others by field path, and the
/// RBAC manifest test checks their rules. Adding one = its target files plus one line here.
/// </summary>
public static class TargetRegistry
{
    /// <summary>Implemented <c>targetRef.kind</c> values.</summary>
    public static IReadOnlyList<TargetKindEntry> Targets { get; } =
    [
        new(TargetKinds.Deployment,
        [
            new RbacRule("apps", "deployments", RbacRule.ReadWrite),
            new RbacRule("apps", "deployments/scale", ["get", "update", "patch"]),
        ]),
    ];

    /// <summary>Implemented <c>autoscalerRef.kind</c> values.</summary>
    public static IReadOnlyList<TargetKindEntry> Autoscalers { get; } =
    [
        new(AutoscalerKinds.HorizontalPodAutoscaler, [new RbacRule("autoscaling", "horizontalpodautoscalers", RbacRule.ReadWrite)]),
    ];

    /// <summary>Every rule of every implemented target and autoscaler kind.</summary>
    public static IEnumerable<RbacRule> AllRules => Targets.Concat(Autoscalers).SelectMany(t => t.Rules);
}
