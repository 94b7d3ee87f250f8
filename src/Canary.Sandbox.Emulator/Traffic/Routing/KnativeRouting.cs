using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Knative's ingress programmed from Knative Service <c>&lt;apex&gt;</c> (serving.knative.dev/v1): its
/// <c>status.traffic</c>, which the route reconciler only writes once the spec's targets are valid and ready, so a
/// split the sandbox refused keeps the previous one. Each entry with a percent above 0 sends that share to its revision's
/// pods through Service <c>&lt;revision&gt;-private</c> (entries naming the same revision add up); Envoy names the cluster
/// <c>&lt;ns&gt;/&lt;revision&gt;</c>. Tagged routes (their own host) are not simulated. No Knative Service or no traffic → 503.
/// </summary>
internal sealed class KnativeRouting(ClusterView view) : IRouting
{
    private static readonly RouteDecision Unavailable = new([], [], 503);

    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        var targets = new List<RouteTarget>();
        foreach (var entry in Objects(view.KnativeServices.Get(app.Namespace, app.Name)?["status"]?["traffic"]))
        {
            if (Str(entry["revisionName"]) is not { Length: > 0 } revision || Number(entry["percent"]) is not (> 0 and var percent))
            {
                continue;
            }

            var route = $"{app.Namespace}/{revision}";
            var index = targets.FindIndex(t => t.Route == route);
            if (index >= 0)
            {
                targets[index] = targets[index] with { Weight = targets[index].Weight + percent };
            }
            else
            {
                targets.Add(new RouteTarget(app.Namespace, revision + "-private", null, percent, Route: route));
            }
        }

        return targets.Count == 0 ? Unavailable : new RouteDecision(targets, []);
    }
}
