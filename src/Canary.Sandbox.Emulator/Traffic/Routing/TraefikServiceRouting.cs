using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Traefik programmed from TraefikService <c>&lt;apex&gt;</c> (traefik.io or traefik.containo.us, v1alpha1), which the
/// user's IngressRoute sends the app's traffic to: <c>spec.weighted.services</c> share requests by weight (default 1, as
/// Traefik; each Service in its own namespace, default the TraefikService's). No TraefikService → 404 (the IngressRoute
/// names a service Traefik does not know); weights all 0 → 503, as Traefik's weighted round robin with nothing to pick.
/// </summary>
internal sealed class TraefikServiceRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.TraefikServices.Get(app.Namespace, app.Name)?["spec"]?["weighted"] is not JsonObject weighted)
        {
            return RouteDecision.NotFound;
        }

        var targets = Objects(weighted["services"])
            .Select(s => new RouteTarget(Str(s["namespace"]) ?? app.Namespace, Str(s["name"]) ?? string.Empty, (int?)Number(s["port"]), Math.Max(0, Number(s["weight"]) ?? 1)))
            .Where(t => t.Service.Length > 0)
            .ToList();
        return targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 503) : new RouteDecision(targets, []);
    }
}
