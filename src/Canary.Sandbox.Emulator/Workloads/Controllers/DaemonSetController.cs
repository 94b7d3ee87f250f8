using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// The DaemonSet controller over the simulated nodes: one pod per node its template's nodeSelector matches (bound to it,
/// labelled with controller-revision-hash), pods of an old template or on a node no longer matched deleted at once, and
/// the scheduled/ready/available counts.
/// </summary>
internal sealed class DaemonSetController(SimulatorContext ctx)
{
    public const string RevisionHashLabel = "controller-revision-hash";

    private static readonly GroupVersionResource DaemonSets = BuiltInResources.DaemonSets;
    private static readonly GroupVersionResource Pods = BuiltInResources.Pods;

    public void Reconcile(string ns, string name)
    {
        var ds = ctx.TryGet(DaemonSets, ns, name);
        if (ds is null || KubeJson.IsDeleting(ds))
        {
            return;
        }

        var spec = KubeJson.Child(ds, "spec");
        var hash = TemplateHash.Compute(spec["template"]);
        var nodeSelector = spec["template"]?["spec"]?["nodeSelector"] as JsonObject;
        var nodes = Enumerable.Range(0, Math.Max(1, ctx.Options.NodeCount)).Select(KubeletSimulator.NodeName)
            .Where(node => Schedulable(node, nodeSelector)).ToList();
        var pods = ctx.ListOwned(Pods, ns, KubeJson.Uid(ds), spec["selector"]);
        var kept = new List<JsonObject>();
        foreach (var pod in pods)
        {
            var node = KubeJson.Str(pod["spec"], "nodeName");
            var current = KubeJson.Label(pod, RevisionHashLabel) == hash;
            if (node is null || !nodes.Contains(node) || !current || kept.Any(k => KubeJson.Str(k["spec"], "nodeName") == node))
            {
                ctx.TryDelete(Pods, ns, KubeJson.Name(pod));
            }
            else
            {
                kept.Add(pod);
            }
        }

        foreach (var node in nodes.Where(n => !kept.Any(k => KubeJson.Str(k["spec"], "nodeName") == n)))
        {
            if (ctx.CreateOwned(Pods, ns, NewPod(ds, hash, node), DaemonSets, ds) is not { } created)
            {
                return;
            }

            kept.Add(created);
        }

        var ready = kept.Count(KubeletSimulator.IsReady);
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = kept.Count,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = nodes.Count,
            ["numberReady"] = ready,
        };
        KubeJson.SetNonZero(status, "observedGeneration", KubeJson.Generation(ds));
        KubeJson.SetNonZero(status, "updatedNumberScheduled", kept.Count);
        KubeJson.SetNonZero(status, "numberAvailable", ready);
        KubeJson.SetNonZero(status, "numberUnavailable", nodes.Count - ready);
        ctx.WriteStatus(DaemonSets, ns, ds, status);
    }

    /// <summary>
    /// The scheduler's nodeSelector rule over the simulated nodes, whose only labels are <c>kubernetes.io/hostname</c>
    /// (the node name), <c>kubernetes.io/os=linux</c> and <c>kubernetes.io/arch=amd64</c>: any other key matches no node.
    /// </summary>
    internal static bool Schedulable(string node, JsonObject? nodeSelector) =>
        nodeSelector is null || nodeSelector.All(kv => KubeJson.Str(nodeSelector, kv.Key) == NodeLabel(node, kv.Key));

    private static string? NodeLabel(string node, string key) => key switch
    {
        "kubernetes.io/hostname" => node,
        "kubernetes.io/os" => "linux",
        "kubernetes.io/arch" => "amd64",
        _ => null,
    };

    private static JsonObject NewPod(JsonObject ds, string hash, string node)
    {
        var template = ds["spec"]?["template"] as JsonObject;
        var labels = KubeJson.CloneObject(template?["metadata"]?["labels"]);
        labels[RevisionHashLabel] = hash;
        labels["pod-template-generation"] = KubeJson.Generation(ds).ToString(CultureInfo.InvariantCulture);
        var metadata = new JsonObject
        {
            ["generateName"] = KubeJson.Name(ds) + "-",
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(ds)),
        };
        if (template?["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        var spec = KubeJson.CloneObject(template?["spec"]);
        spec["nodeName"] = node;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }
}
