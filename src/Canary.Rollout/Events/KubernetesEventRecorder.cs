using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Canary.Rollout.StateMachine;
using k8s;
using k8s.Models;
using Polly;
using Polly.Retry;

namespace Canary.Rollout.Events;

/// <summary>Writes core/v1 Events on the Canary with Flagger's reason <c>Synced</c> and source component <c>canary</c>.</summary>
/// <remarks>
/// A create answered 5xx is tried again (up to 4 times, as client-go's recorder retries): the Event's name is fixed before
/// the first attempt, so a repeat of a create that did land gets 409 AlreadyExists, read as done. The API client's own
/// pipeline never repeats a create after a 5xx (it cannot know the object is named); an Event lost to one bad answer
/// would leave a step of the release untold (found by the chaos suite under 10 % API errors).
/// </remarks>
public sealed class KubernetesEventRecorder(IKubernetes client, TimeProvider timeProvider) : IEventRecorder
{
    private readonly ResiliencePipeline _create = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => KubeErrors.StatusOf(e) is { } status && (int)status >= 500),
        })
        .Build();

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
        try
        {
            await _create.ExecuteAsync(
                async ct => await client.CoreV1.CreateNamespacedEventAsync(coreEvent, ns, cancellationToken: ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsAlreadyExists(e))
        {
            // An earlier attempt landed although its answer was an error.
        }
    }
}
