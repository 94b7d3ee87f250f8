using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Templates;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using k8s;

namespace Canary.Rollout.Targets.Knative;

/// <summary>
/// <see cref="ITarget"/> for a Knative Service (Flagger's KnativeController): the canary is the Service's latest created
/// revision, the primary the revision named by <c>canary.dev/primary-revision</c>; promotion names the latest revision
/// primary. The revision name is the revision (Knative makes one per template change), readiness is each Revision's
/// Ready condition, and nothing is scaled or copied: Knative runs, scales and exposes each revision itself.
/// </summary>
public sealed class KnativeServiceTarget(IKubernetes client, TimeProvider timeProvider, int maxConflictRetries) : ITarget, IOwnsServices
{
    private readonly KnativeServiceClient _services = new(client, maxConflictRetries);

    /// <inheritdoc />
    public string Kind => TargetKinds.KnativeService;

    /// <inheritdoc />
    public IServiceRouter Services { get; } = new NoServices();

    /// <inheritdoc />
    public async Task<TargetSnapshot> ObserveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var service = await ReadServiceAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var latest = KnativeTrafficBuilder.LatestCreatedRevision(service.Json)
            ?? throw new TargetException($"Knative Service {name}.{ns} has no revision yet (status.latestCreatedRevisionName is empty)");
        var primaryName = KnativeTrafficBuilder.PrimaryRevision(service.Json);

        var deadline = CanaryDefaults.Resolve(canary.Spec).ProgressDeadline;
        var now = timeProvider.GetUtcNow();
        var canaryRevision = await ReadRevisionAsync(ns, latest, cancellationToken).ConfigureAwait(false);
        var canaryReadiness = RevisionReadiness.Evaluate(canaryRevision, latest, now, deadline, $"canary {name}.{ns} not ready: ");
        var primaryRevision = primaryName is null ? null : await ReadRevisionAsync(ns, primaryName, cancellationToken).ConfigureAwait(false);
        var primaryReadiness = primaryName is null
            ? Readiness.Waiting($"{name}-primary.{ns} not ready: no {KnativeTrafficBuilder.PrimaryRevisionAnnotation} annotation yet")
            : RevisionReadiness.Evaluate(primaryRevision, primaryName, now, deadline, $"{name}-primary.{ns} not ready: ");
        return new TargetSnapshot(
            service, primaryRevision is null ? null : new KnativeObject(primaryRevision), null, null, TrackedConfigs.Empty, new Revision(latest), canaryReadiness, primaryReadiness)
        {
            MetricRoutes = new MetricRoutes(latest, primaryName),
        };
    }

    /// <inheritdoc />
    /// <remarks>As Flagger: the latest revision becomes primary with all the traffic (the current template is what runs).</remarks>
    public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        var latest = snapshot.Revision.SpecHash;
        return UpdateAsync(canary, _ => (latest, KnativeTrafficBuilder.Traffic(latest, RouteState.AllPrimary)), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Names the latest revision primary, keeping the split: the primary's share now reaches the new revision, as a
    /// Deployment's primary runs the new template after promotion. The router then routes everything to it.
    /// </remarks>
    public Task PromoteAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        UpdateAsync(canary, service =>
        {
            var latest = KnativeTrafficBuilder.LatestCreatedRevision(service)
                ?? throw new TargetException($"Knative Service {Describe(canary)} has no revision to promote");
            var routes = KnativeTrafficBuilder.ReadRoutes(service) ?? RouteState.AllPrimary;
            return (latest, KnativeTrafficBuilder.Traffic(latest, routes));
        }, cancellationToken);

    /// <inheritdoc />
    public Task ReconcilePrimaryScalerAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ScaleToZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ScaleFromZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>
    /// The router's finalization then gives the traffic to the latest revision, which Knative routes to its latest
    /// ready one: the Service needs a ready revision to take it.
    /// </remarks>
    public async Task<Readiness> RevertAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var service = await ReadServiceAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return KnativeTrafficBuilder.LatestReadyRevision(service.Json) is null
            ? Readiness.Waiting($"Knative Service {name}.{ns} has no ready revision to take the traffic back")
            : Readiness.Ready;
    }

    private async Task UpdateAsync(
        CanaryResource canary, Func<JsonObject, (string?, JsonArray)?> change, CancellationToken cancellationToken)
    {
        var (ns, name) = TargetNames.Of(canary);
        try
        {
            await _services.UpdateAsync(ns, name, change, cancellationToken).ConfigureAwait(false);
        }
        catch (TrafficRouterException e)
        {
            throw new TargetException(e.Message, e);
        }
    }

    private async Task<KnativeObject> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        await _services.GetServiceAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } service
            ? new KnativeObject(service)
            : throw new TargetException($"Knative Service {name}.{ns} not found");

    private Task<JsonObject?> ReadRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        _services.GetRevisionAsync(ns, name, cancellationToken);

    private static string Describe(CanaryResource canary) => $"{canary.Spec.TargetRef?.Name}.{canary.Metadata.NamespaceProperty}";

    // Knative creates and labels the Services of each revision; there is no apex to take over and nothing to give back.
    private sealed class NoServices : IServiceRouter
    {
        public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReconcileAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
