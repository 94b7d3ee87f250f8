using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using k8s.Models;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Linkerd proxies programmed from SMI TrafficSplits (split.smi-spec.io v1alpha1-3): the split whose <c>spec.service</c>
/// is the apex (Linkerd keys splits by that Service, not by their name; Flagger's is named after the apex too) sends
/// requests to each backend Service in proportion to its weight (v1alpha1 weights are quantities such as "90" or
/// "500m", later versions integers). Without such a split the apex Service's selector decides; weights all 0 → 500.
/// </summary>
internal sealed class TrafficSplitRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (SplitOf(app)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.To(new RouteTarget(app.Namespace, app.Name, null, 100));
        }

        var targets = Objects(spec["backends"])
            .Select(b => new RouteTarget(app.Namespace, Str(b["service"]) ?? string.Empty, null, Weight(b["weight"])))
            .Where(t => t.Service.Length > 0)
            .ToList();
        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 500) : new RouteDecision(targets, []);
    }

    // Several splits for one Service are ambiguous in Linkerd too; the one named after it, else the first by name, wins.
    private JsonObject? SplitOf(TrafficApp app) => view.TrafficSplits.InNamespace(app.Namespace)
        .Where(s => Str(s["spec"]?["service"]) == app.Name)
        .OrderBy(s => Name(s) != app.Name)
        .ThenBy(Name, StringComparer.Ordinal)
        .FirstOrDefault();

    // v1alpha2+ integers, v1alpha1 quantities ("90", "500m", KubernetesClient's parser); unreadable or negative → 0, as no share.
    private static double Weight(JsonNode? node) => Math.Max(0, Number(node) ?? Quantity(Str(node)) ?? 0);

    private static double? Quantity(string? text)
    {
        try
        {
            return text is null ? null : (double)new ResourceQuantity(text.Trim()).ToDecimal();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }
}
