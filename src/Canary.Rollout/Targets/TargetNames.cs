namespace Canary.Rollout.Targets;

/// <summary>Where a Canary's target lives, as every target kind reads it.</summary>
internal static class TargetNames
{
    /// <summary>The Canary's namespace and <c>spec.targetRef.name</c>; a missing name is a <see cref="TargetException"/>.</summary>
    public static (string Namespace, string Name) Of(CanaryResource canary) =>
        (canary.Metadata.NamespaceProperty, canary.Spec.TargetRef?.Name ?? throw new TargetException("spec.targetRef.name is required"));
}
