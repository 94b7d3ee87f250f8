using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// The pure part of the knative provider (as fluxcd/flagger <c>pkg/router/knative.go</c> and
/// <c>pkg/canary/knative_controller.go</c>): the Knative Service's <c>spec.traffic</c> splitting between its latest
/// revision (the canary) and the revision named by <see cref="PrimaryRevisionAnnotation"/> (the primary), and what the
/// router and the target read back from a Knative Service.
/// </summary>
public static class KnativeTrafficBuilder
{
    /// <summary>
    /// Annotation on the user's Knative Service naming the revision that serves as primary (Flagger's
    /// <c>flagger.app/primary-revision</c>, under this API's group).
    /// </summary>
    public const string PrimaryRevisionAnnotation = "canary.dev/primary-revision";

    /// <summary><c>spec.traffic</c>: the latest revision at <paramref name="routes"/>' canary weight, the primary revision at the rest.</summary>
    public static JsonArray Traffic(string primaryRevision, RouteState routes) =>
    [
        new JsonObject { ["latestRevision"] = true, ["percent"] = routes.CanaryWeight },
        new JsonObject { ["revisionName"] = primaryRevision, ["percent"] = routes.PrimaryWeight },
    ];

    /// <summary>Knative's own default, all traffic on the latest ready revision: what a Knative Service without a Canary does.</summary>
    public static JsonArray LatestOnly() => [new JsonObject { ["latestRevision"] = true, ["percent"] = 100 }];

    /// <summary><c>status.latestCreatedRevisionName</c>: the revision of the current template (the canary), or null before Knative made one.</summary>
    public static string? LatestCreatedRevision(JsonObject service) => NonEmpty(service["status"]?["latestCreatedRevisionName"]);

    /// <summary><c>status.latestReadyRevisionName</c>: the revision a <c>latestRevision</c> entry routes to.</summary>
    public static string? LatestReadyRevision(JsonObject service) => NonEmpty(service["status"]?["latestReadyRevisionName"]);

    /// <summary>The primary revision named by <see cref="PrimaryRevisionAnnotation"/>, or null.</summary>
    public static string? PrimaryRevision(JsonObject service) => NonEmpty(service["metadata"]?["annotations"]?[PrimaryRevisionAnnotation]);

    /// <summary>
    /// The split <c>spec.traffic</c> asks for, or null when it is not the two entries this provider writes. Flagger reads
    /// <c>status.traffic</c>, which lags each write until Knative reconciles the route; the spec is what was decided.
    /// </summary>
    public static RouteState? ReadRoutes(JsonObject service)
    {
        if (PrimaryRevision(service) is not { } primary || service["spec"]?["traffic"] is not JsonArray traffic)
        {
            return null;
        }

        var entries = traffic.OfType<JsonObject>().ToList();
        var canary = entries.FirstOrDefault(e => IsLatest(e));
        var stable = entries.FirstOrDefault(e => !IsLatest(e) && NonEmpty(e["revisionName"]) == primary);
        return canary is null || stable is null ? null : new RouteState(Percent(stable), Percent(canary), false);
    }

    /// <summary>A copy of <paramref name="service"/> with the primary annotation set (or removed, when null) and <c>spec.traffic</c> replaced; null when nothing changes.</summary>
    public static JsonObject? With(JsonObject service, string? primaryRevision, JsonArray traffic)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (PrimaryRevision(service) == primaryRevision && JsonNode.DeepEquals(service["spec"]?["traffic"], traffic))
        {
            return null;
        }

        var updated = (JsonObject)service.DeepClone();
        var metadata = JsonNodes.ChildObject(updated, "metadata");
        var annotations = JsonNodes.ChildObject(metadata, "annotations");
        if (primaryRevision is null)
        {
            annotations.Remove(PrimaryRevisionAnnotation);
        }
        else
        {
            annotations[PrimaryRevisionAnnotation] = primaryRevision;
        }

        JsonNodes.ChildObject(updated, "spec")["traffic"] = traffic;
        return updated;
    }

    private static bool IsLatest(JsonObject entry) => entry["latestRevision"] is JsonValue v && v.TryGetValue<bool>(out var latest) && latest;

    private static int Percent(JsonObject entry) => entry["percent"] is JsonValue v && v.TryGetValue<int>(out var percent) ? percent : 0;

    private static string? NonEmpty(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
