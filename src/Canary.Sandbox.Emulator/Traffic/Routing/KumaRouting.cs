using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Kuma data-plane proxies programmed from cluster-scoped TrafficRoutes (kuma.io/v1alpha1): the route whose destination
/// <c>kuma.io/service</c> is the app's Service (<c>&lt;svc&gt;_&lt;ns&gt;_svc_&lt;port&gt;</c>; every source, as the routes
/// Flagger writes) splits requests by <c>conf.split</c> weight over the services named the same way. Without such a
/// route the apex Service's selector decides (Kuma's default route); weights all 0 → 503.
/// </summary>
internal sealed class KumaRouting(ClusterView view) : IRouting
{
    private const string ServiceTag = "kuma.io/service";
    private const string Separator = "_svc_";

    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        var prefix = $"{app.Name}_{app.Namespace}{Separator}";
        var route = view.TrafficRoutes.InNamespace(string.Empty)
            .Where(r => Objects(r["spec"]?["destinations"]).Any(d => Str(d["match"]?[ServiceTag])?.StartsWith(prefix, StringComparison.Ordinal) == true))
            .OrderBy(Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (route?["spec"]?["conf"]?["split"] is not JsonArray split)
        {
            return RouteDecision.To(new RouteTarget(app.Namespace, app.Name, null, 100));
        }

        var targets = Objects(split)
            .Select(s => Target(Str(s["destination"]?[ServiceTag]), Math.Max(0, Number(s["weight"]) ?? 0)))
            .OfType<RouteTarget>()
            .ToList();
        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 503) : new RouteDecision(targets, []);
    }

    // <svc>_<ns>_svc_<port>: Kubernetes names have no underscores, so the last one before _svc_ ends the Service name.
    private static RouteTarget? Target(string? kumaService, double weight)
    {
        var cut = kumaService?.LastIndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (cut <= 0)
        {
            return null;
        }

        var serviceAndNamespace = kumaService![..cut];
        var split = serviceAndNamespace.LastIndexOf('_');
        return split <= 0 || !int.TryParse(kumaService[(cut + Separator.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? null
            : new RouteTarget(serviceAndNamespace[(split + 1)..], serviceAndNamespace[..split], port, weight);
    }
}
