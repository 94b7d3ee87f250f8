using Canary.Providers.Naming;
using Canary.Providers.Services;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>The apex, primary and canary Services generated for every provider (Flagger's KubernetesDefaultRouter).</summary>
public interface IServiceRouter
{
    /// <summary>Creates/updates <c>&lt;apex&gt;-primary</c> and <c>&lt;apex&gt;-canary</c> (every tick, before the primary exists).</summary>
    Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Creates, updates or takes over the apex Service, selecting the primary pods.</summary>
    Task ReconcileAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Gives a taken-over apex Service back to the target's pods (revertOnDeletion).</summary>
    Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken);
}

/// <summary><see cref="IServiceRouter"/> over the Providers project's <see cref="KubernetesServiceRouter"/>.</summary>
public sealed class KubernetesServiceRouterAdapter(KubernetesServiceRouter router) : IServiceRouter
{
    /// <inheritdoc />
    public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) =>
        router.InitializeAsync(canary, ServiceTarget(canary, snapshot), cancellationToken);

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) =>
        router.ReconcileAsync(canary, ServiceTarget(canary, snapshot), cancellationToken);

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken) =>
        router.FinalizeAsync(canary, selector, cancellationToken);

    private static ServiceTarget ServiceTarget(CanaryResource canary, TargetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        var ports = canary.Spec.Service is { PortDiscovery: true } service
            ? PortDiscovery.Discover(service, snapshot.PodSpec ?? new k8s.Models.V1PodSpec())
            : null;
        return new ServiceTarget(snapshot.Selector ?? throw new TargetException("the target has no pod selector"), ports);
    }
}
