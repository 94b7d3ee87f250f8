using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Builds the primary DaemonSet <c>&lt;target&gt;-primary</c> from the target (pure), as <see cref="PrimaryDeploymentBuilder"/>
/// does for Deployments: same pod template with the selector label value suffixed <c>-primary</c>, config refs rewritten,
/// the <see cref="DaemonSetScaleToZero.Key"/> nodeSelector key dropped, single-label selector, owned by the Canary.
/// </summary>
public static class PrimaryDaemonSetBuilder
{
    /// <summary>The primary for a first initialization.</summary>
    public static V1DaemonSet Create(
        CanaryResource canary, V1DaemonSet target, TargetSelector selector, TrackedConfigs configs, Revision revision, IEnumerable<string> selectorLabels,
        CopiedMetadata? copied = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(selector);
        var primary = new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta
            {
                Name = target.Metadata.Name + CanaryNames.PrimarySuffix,
                NamespaceProperty = target.Metadata.NamespaceProperty,
                OwnerReferences = [ObjectCopies.OwnerReference(canary)],
            },
            Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = selector.PrimaryPods() } },
        };
        return ApplyTemplate(primary, target, selector, configs, revision, selectorLabels, copied);
    }

    /// <summary>
    /// <paramref name="primary"/> updated from the target (promotion): pod template, update strategy, minReadySeconds,
    /// revisionHistoryLimit, labels and annotations. Selector and owner references are kept.
    /// </summary>
    public static V1DaemonSet ApplyTemplate(
        V1DaemonSet primary, V1DaemonSet target, TargetSelector selector, TrackedConfigs configs, Revision revision, IEnumerable<string> selectorLabels,
        CopiedMetadata? copied = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(revision);
        var updated = ObjectCopies.Clone(primary);
        copied ??= CopiedMetadata.All;
        var labels = copied.Labels(target.Metadata.Labels);
        labels[selector.Label] = selector.PrimaryValue;
        updated.Metadata.Labels = labels;
        updated.Metadata.Annotations = copied.Annotations(target.Metadata.Annotations);

        var spec = target.Spec;
        updated.Spec.MinReadySeconds = spec.MinReadySeconds;
        updated.Spec.RevisionHistoryLimit = spec.RevisionHistoryLimit;
        updated.Spec.UpdateStrategy = spec.UpdateStrategy is null ? null : ObjectCopies.Clone(spec.UpdateStrategy);

        var template = DaemonSetScaleToZero.Without(spec.Template);
        var templateLabels = ObjectCopies.Filter(template.Metadata?.Labels);
        templateLabels[selector.Label] = selector.PrimaryValue;
        var templateAnnotations = ObjectCopies.Filter(template.Metadata?.Annotations);
        templateAnnotations[PrimaryDeploymentBuilder.RevisionAnnotation] = revision.Checksum;
        updated.Spec.Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = templateLabels, Annotations = templateAnnotations },
            Spec = PodSpecRewriter.ForPrimary(template.Spec, configs, selector, selectorLabels),
        };
        return updated;
    }
}
