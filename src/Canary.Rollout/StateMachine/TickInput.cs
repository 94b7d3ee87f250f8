using Canary.Api.Defaults;
using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>Everything one decision depends on: identity, effective spec, status checkpoint, observed facts and the clock.</summary>
public sealed record TickInput
{
    /// <summary>Name of the Canary.</summary>
    public required string Name { get; init; }

    /// <summary>Namespace of the Canary.</summary>
    public required string Namespace { get; init; }

    /// <summary>metadata.uid of the Canary (seeds the session affinity cookie values; empty in tests that do not care).</summary>
    public string Uid { get; init; } = string.Empty;

    /// <summary>Kind of the target (Deployment, DaemonSet, Service): alerts, and the plan (a DaemonSet takes no weights).</summary>
    public string TargetKind { get; init; } = TargetKinds.Deployment;

    /// <summary>Effective spec (defaults applied).</summary>
    public required EffectiveCanary Spec { get; init; }

    /// <summary>Traffic provider name (spec.provider or the controller default).</summary>
    public required string Provider { get; init; }

    /// <summary>The status checkpoint as read at the start of the tick.</summary>
    public required RolloutStatus Status { get; init; }

    /// <summary>Observed cluster facts.</summary>
    public required ObservedFacts Facts { get; init; }

    /// <summary>Deletion, finalizer and spec validity.</summary>
    public CanaryLifecycle Lifecycle { get; init; } = CanaryLifecycle.Steady;

    /// <summary>CanaryRequests of this Canary not marked handled, oldest first (those already in the status are skipped).</summary>
    public IReadOnlyList<ControlRequest> Requests { get; init; } = [];

    /// <summary>The current time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary><c>name.namespace</c> of the Canary, as in Flagger's messages.</summary>
    public string CanaryRef => $"{Name}.{Namespace}";

    /// <summary><c>target.namespace</c>, as in Flagger's messages.</summary>
    public string TargetRef => $"{Spec.TargetName}.{Namespace}";
}
