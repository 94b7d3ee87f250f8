namespace Canary.Providers.Routing;

/// <summary>
/// The seam the rollout engine uses to move traffic (Flagger's <c>router.Interface</c>). One implementation per provider;
/// each writes only its own routing objects and never decides anything about the rollout.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>Provider name this router serves (e.g. <c>istio</c>, <c>gatewayapi:v1</c>).</summary>
    string Provider { get; }

    /// <summary>Creates or updates the provider's routing objects from the Canary spec, keeping the current weights.</summary>
    Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Reads the current traffic split from the provider's routing objects.</summary>
    Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Writes a traffic split; the objects must exist (call <see cref="ReconcileAsync"/> first).</summary>
    Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken);

    /// <summary>Reverts what the router changed on objects it does not own (revertOnDeletion); a no-op for most providers.</summary>
    Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken);
}
