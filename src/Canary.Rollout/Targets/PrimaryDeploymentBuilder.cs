using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Builds the primary Deployment <c>&lt;target&gt;-primary</c> from the target (pure): same pod template with the selector
/// label value suffixed <c>-primary</c> and config refs rewritten, single-label selector, owned by the Canary.
/// </summary>
public static class PrimaryDeploymentBuilder
{
    /// <summary>Pod template annotation carrying the promoted revision; a new value rolls the primary.</summary>
    public const string RevisionAnnotation = "canary.dev/revision";

    /// <summary>The primary for a first initialization.</summary>
    public static V1Deployment Create(
        CanaryResource canary, V1Deployment target, TargetSelector selector, TrackedConfigs configs, Revision revision, IEnumerable<string> selectorLabels,
        CopiedMetadata? copied = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var primary = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = target.Metadata.Name + CanaryNames.PrimarySuffix,
                NamespaceProperty = target.Metadata.NamespaceProperty,
                OwnerReferences = [ObjectCopies.OwnerReference(canary)],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = target.Spec.Replicas is > 0 ? target.Spec.Replicas : 1,
                Selector = new V1LabelSelector { MatchLabels = selector.PrimaryPods() },
            },
        };
        return ApplyTemplate(primary, target, selector, configs, revision, selectorLabels, copyReplicas: false, copied);
    }

    /// <summary>
    /// <paramref name="primary"/> updated from the target (promotion): pod template, rollout settings, labels and annotations;
    /// replicas only when <paramref name="copyReplicas"/> (no autoscaler). Selector and owner references are kept.
    /// </summary>
    public static V1Deployment ApplyTemplate(
        V1Deployment primary, V1Deployment target, TargetSelector selector, TrackedConfigs configs, Revision revision,
        IEnumerable<string> selectorLabels, bool copyReplicas, CopiedMetadata? copied = null)
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
        updated.Spec.ProgressDeadlineSeconds = spec.ProgressDeadlineSeconds;
        updated.Spec.MinReadySeconds = spec.MinReadySeconds;
        updated.Spec.RevisionHistoryLimit = spec.RevisionHistoryLimit;
        updated.Spec.Strategy = spec.Strategy is null ? null : ObjectCopies.Clone(spec.Strategy);
        if (copyReplicas && spec.Replicas is > 0)
        {
            updated.Spec.Replicas = spec.Replicas;
        }

        var templateLabels = ObjectCopies.Filter(spec.Template.Metadata?.Labels);
        templateLabels[selector.Label] = selector.PrimaryValue;
        var templateAnnotations = ObjectCopies.Filter(spec.Template.Metadata?.Annotations);

        // Deterministic (Flagger writes a random flagger-id, rolling the primary even when nothing changed, #1163); it
        // includes the config checksums so a config-only change still restarts the primary pods.
        templateAnnotations[RevisionAnnotation] = revision.Checksum;
        updated.Spec.Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = templateLabels, Annotations = templateAnnotations },
            Spec = PodSpecRewriter.ForPrimary(spec.Template.Spec, configs, selector, selectorLabels),
        };
        return updated;
    }
}
