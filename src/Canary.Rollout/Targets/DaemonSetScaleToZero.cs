using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// How a DaemonSet is "scaled to zero" (Flagger's <c>flagger.app/scale-to-zero</c>, in our domain): a pod-template
/// nodeSelector key no node carries, so the DaemonSet controller schedules none of its pods. The key is not part of the
/// revision and never reaches the primary.
/// </summary>
public static class DaemonSetScaleToZero
{
    /// <summary>The nodeSelector key; its value is <c>"true"</c>.</summary>
    public const string Key = "canary.dev/scale-to-zero";

    /// <summary>True when the DaemonSet's pods are kept from scheduling.</summary>
    public static bool IsParked(V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        return daemonSet.Spec?.Template?.Spec?.NodeSelector?.ContainsKey(Key) == true;
    }

    /// <summary>A copy of <paramref name="template"/> without the key (the rest of the nodeSelector kept).</summary>
    public static V1PodTemplateSpec Without(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = ObjectCopies.Clone(template);
        if (copy.Spec?.NodeSelector is { } selector && selector.Remove(Key) && selector.Count == 0)
        {
            copy.Spec.NodeSelector = null;
        }

        return copy;
    }

    /// <summary>
    /// The merge patch adding (<paramref name="park"/>) or removing the key: the only change ever made to the user's
    /// DaemonSet.
    /// </summary>
    public static V1Patch Patch(bool park) => new(
        "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"" + Key + "\":" + (park ? "\"true\"" : "null") + "}}}}}",
        V1Patch.PatchType.MergePatch);
}
