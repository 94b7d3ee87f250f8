namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>
/// The autoscaler a Canary names in <c>autoscalerRef</c>: its copy for the primary, and keeping the target's own from
/// scaling the target while it is parked at zero between rollouts.
/// </summary>
internal interface ITargetScaler
{
    /// <summary>Creates the primary's copy when missing; with <paramref name="update"/>, also brings it in line with the target's.</summary>
    Task EnsurePrimaryAsync(CanaryResource canary, string primaryWorkload, bool update, CancellationToken cancellationToken);

    /// <summary>Stops the target's autoscaler from scaling the parked target (no-op where scaling to zero is enough).</summary>
    Task PauseTargetAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Lets the target's autoscaler work again (a release starts, or the Canary is deleted).</summary>
    Task ResumeTargetAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>The replicas to scale the target up to, when the autoscaler says (its minimum, if above 1).</summary>
    Task<int?> ScaleUpReplicasAsync(CanaryResource canary, CancellationToken cancellationToken);
}
