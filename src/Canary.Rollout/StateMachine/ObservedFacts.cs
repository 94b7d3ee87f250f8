using Canary.Providers.Routing;
using Canary.Rollout.Revisions;

namespace Canary.Rollout.StateMachine;

/// <summary>What the engine observed in the cluster before deciding: the target's revision, readiness and the current routes.</summary>
/// <param name="Revision">Pod template hash and tracked config checksums of the target now.</param>
/// <param name="CanaryReadiness">Readiness of the target (canary) workload.</param>
/// <param name="PrimaryReadiness">Readiness of the primary workload.</param>
/// <param name="Routes">Traffic split reported by the router (used for mirroring only; weights are checkpointed in status).</param>
public sealed record ObservedFacts(Revision Revision, Readiness CanaryReadiness, Readiness PrimaryReadiness, RouteState Routes)
{
    /// <summary>
    /// Nothing observed: an invalid or suspended Canary touches nothing in the cluster, and deletion needs only the
    /// revert's answer. The decider never reads these facts on those paths.
    /// </summary>
    public static ObservedFacts Unobserved { get; } = new(
        new Revision(string.Empty, new Dictionary<string, string>()), Readiness.Waiting("not observed"), Readiness.Waiting("not observed"), RouteState.AllPrimary);
}
