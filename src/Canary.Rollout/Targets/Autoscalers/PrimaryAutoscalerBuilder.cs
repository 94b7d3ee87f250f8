using Canary.Providers.Naming;
using k8s.Models;

namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>Builds the primary's HorizontalPodAutoscaler <c>&lt;hpa&gt;-primary</c> from the target's (pure).</summary>
public static class PrimaryAutoscalerBuilder
{
    /// <summary>The primary HPA: scaleTargetRef → the primary, bounds from primaryScalerReplicas when set, owned by the Canary.</summary>
    public static V2HorizontalPodAutoscaler Build(CanaryResource canary, V2HorizontalPodAutoscaler target, string primaryName, CopiedMetadata? copied = null)
    {
        copied ??= CopiedMetadata.All;
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(target);
        var bounds = canary.Spec.AutoscalerRef?.PrimaryScalerReplicas;
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta
            {
                Name = target.Metadata.Name + CanaryNames.PrimarySuffix,
                NamespaceProperty = target.Metadata.NamespaceProperty,
                Labels = copied.Labels(target.Metadata.Labels),
                Annotations = copied.Annotations(target.Metadata.Annotations),
                OwnerReferences = [ObjectCopies.OwnerReference(canary)],
            },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference
                {
                    ApiVersion = target.Spec.ScaleTargetRef.ApiVersion,
                    Kind = target.Spec.ScaleTargetRef.Kind,
                    Name = primaryName,
                },
                MinReplicas = bounds?.MinReplicas ?? target.Spec.MinReplicas,
                MaxReplicas = bounds?.MaxReplicas ?? target.Spec.MaxReplicas,
                Metrics = target.Spec.Metrics is null ? null : ObjectCopies.Clone(target.Spec.Metrics),
                Behavior = target.Spec.Behavior is null ? null : ObjectCopies.Clone(target.Spec.Behavior),
            },
        };
    }
}
