using System.Text.Json.Nodes;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Apply;

/// <summary>
/// Reads and writes the user's Knative Service and reads its Revisions, for the knative router and the Knative Service
/// target. Writes go through the one read-modify-write loop (a replace carrying the resourceVersion read, retried on 409),
/// touching only <c>spec.traffic</c> and the primary-revision annotation.
/// </summary>
public sealed class KnativeServiceClient
{
    private readonly CustomObjectClient _services;
    private readonly CustomObjectClient _revisions;
    private readonly ObjectApplier _applier;

    /// <summary>A client over <paramref name="kube"/> retrying a conflicting write up to <paramref name="maxConflictRetries"/> times.</summary>
    public KnativeServiceClient(IKubernetes kube, int maxConflictRetries)
    {
        ArgumentNullException.ThrowIfNull(kube);
        _services = new CustomObjectClient(kube, RouterKinds.KnativeService);
        _revisions = new CustomObjectClient(kube, RouterKinds.KnativeRevision);
        _applier = new ObjectApplier(maxConflictRetries);
    }

    /// <summary>The Knative Service, or null when it does not exist.</summary>
    public Task<JsonObject?> GetServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        _services.GetAsync(ns, name, cancellationToken);

    /// <summary>The Revision, or null when it does not exist.</summary>
    public Task<JsonObject?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        _revisions.GetAsync(ns, name, cancellationToken);

    /// <summary>
    /// Sets the primary revision (null removes the annotation) and <c>spec.traffic</c> from the live Service;
    /// <paramref name="change"/> returns them, or null to leave the Service as it is.
    /// </summary>
    /// <exception cref="TrafficRouterException">The Service is missing, or the write kept conflicting.</exception>
    public Task UpdateAsync(string ns, string name, Func<JsonObject, (string? PrimaryRevision, JsonArray Traffic)?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _applier.ApplyAsync(_services, ns, name, current =>
        {
            if (current is null)
            {
                throw new TrafficRouterException($"Knative Service {name}.{ns} not found");
            }

            return change(current) is { } wanted ? KnativeTrafficBuilder.With(current, wanted.PrimaryRevision, wanted.Traffic) : null;
        }, cancellationToken);
    }

    /// <summary>Knative's readiness of a Revision: its <c>Ready</c> condition ("True", "False" or "Unknown"), with its message.</summary>
    public static (string Status, string? Reason, string? Message) ReadyCondition(JsonObject revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var ready = (revision["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => (string?)c["type"] == "Ready");
        return ready is null
            ? ("Unknown", null, "no Ready condition yet")
            : ((string?)ready["status"] ?? "Unknown", (string?)ready["reason"], (string?)ready["message"]);
    }
}
