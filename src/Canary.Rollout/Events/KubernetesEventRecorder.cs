using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Events;

/// <summary>Writes core/v1 Events on the Canary with Flagger's reason <c>Synced</c> and source component <c>canary</c>.</summary>
public sealed class KubernetesEventRecorder(IKubernetes client, TimeProvider timeProvider) : IEventRecorder
{
    /// <summary>Reason of every rollout event (Flagger's).</summary>
    public const string Reason = "Synced";

    /// <summary>Source component of the events.</summary>
    public const string Component = "canary";

    /// <inheritdoc />
    public async Task RecordAsync(CanaryResource canary, RolloutEvent rolloutEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        var now = timeProvider.GetUtcNow();
        var ns = canary.Metadata.NamespaceProperty;
        var coreEvent = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                // Name like client-go's recorder: object name + a unique hex suffix.
                Name = string.Create(CultureInfo.InvariantCulture, $"{canary.Metadata.Name}.{now.UtcTicks:x}{Random.Shared.Next(0x1000):x3}"),
                NamespaceProperty = ns,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = CanaryApi.ApiVersion,
                Kind = CanaryResource.KubeKind,
                Name = canary.Metadata.Name,
                NamespaceProperty = ns,
                Uid = canary.Metadata.Uid,
                ResourceVersion = canary.Metadata.ResourceVersion,
            },
            Reason = Reason,
            Message = rolloutEvent.Message,
            Type = rolloutEvent.Severity == EventSeverity.Warning ? "Warning" : "Normal",
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        await client.CoreV1.CreateNamespacedEventAsync(coreEvent, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
