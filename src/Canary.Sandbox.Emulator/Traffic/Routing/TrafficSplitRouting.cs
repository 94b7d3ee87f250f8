using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Linkerd proxies programmed from the SMI TrafficSplit <c>&lt;apex&gt;</c> (split.smi-spec.io v1alpha1-3): requests to
/// the apex go to each backend Service in proportion to its weight (v1alpha1 weights are quantities such as "90" or
/// "500m", later versions integers). Without a split the apex Service's selector decides; weights all 0 → 500.
/// </summary>
internal sealed class TrafficSplitRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.TrafficSplits.Get(app.Namespace, app.Name)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.To(new RouteTarget(app.Namespace, app.Name, null, 100));
        }

        var targets = Objects(spec["backends"])
            .Select(b => new RouteTarget(app.Namespace, Str(b["service"]) ?? string.Empty, null, Weight(b["weight"])))
            .Where(t => t.Service.Length > 0)
            .ToList();
        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 500) : new RouteDecision(targets, []);
    }

    // A number, or a Kubernetes quantity ("90", "500m", "1k").
    private static double Weight(JsonNode? node)
    {
        if (Number(node) is { } number)
        {
            return number;
        }

        var text = Str(node)?.Trim() ?? string.Empty;
        var (digits, factor) = text.EndsWith('m') ? (text[..^1], 0.001) : text.EndsWith('k') ? (text[..^1], 1000.0) : (text, 1.0);
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed * factor : 0;
    }
}
