using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
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
        if (ds is null || K8sJson.IsDeleting(ds))
        {
            return;
        }

        var spec = K8sJson.Child(ds, "spec");
        var hash = TemplateHash.Compute(spec["template"]);
        var nodeSelector = spec["template"]?["spec"]?["nodeSelector"] as JsonObject;
        var nodes = Enumerable.Range(0, Math.Max(1, ctx.Options.NodeCount)).Select(KubeletSimulator.NodeName)
            .Where(node => Schedulable(node, nodeSelector)).ToList();
        var pods = ctx.ListOwned(Pods, ns, K8sJson.Uid(ds), spec["selector"]);
        var kept = new List<JsonObject>();
        foreach (var pod in pods)
        {
            var node = K8sJson.Str(pod["spec"], "nodeName");
            var current = K8sJson.Label(pod, RevisionHashLabel) == hash;
            if (node is null || !nodes.Contains(node) || !current || kept.Any(k => K8sJson.Str(k["spec"], "nodeName") == node))
            {
                ctx.TryDelete(Pods, ns, K8sJson.Name(pod));
            }
            else
            {
                kept.Add(pod);
            }
        }

        foreach (var node in nodes.Where(n => !kept.Any(k => K8sJson.Str(k["spec"], "nodeName") == n)))
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
        K8sJson.SetNonZero(status, "observedGeneration", K8sJson.Generation(ds));
        K8sJson.SetNonZero(status, "updatedNumberScheduled", kept.Count);
        K8sJson.SetNonZero(status, "numberAvailable", ready);
        K8sJson.SetNonZero(status, "numberUnavailable", nodes.Count - ready);
        ctx.WriteStatus(DaemonSets, ns, ds, status);
    }

    /// <summary>
    /// The scheduler's nodeSelector rule over the simulated nodes, whose only labels are <c>kubernetes.io/hostname</c>
    /// (the node name), <c>kubernetes.io/os=linux</c> and <c>kubernetes.io/arch=amd64</c>: any other key matches no node.
    /// </summary>
    internal static bool Schedulable(string node, JsonObject? nodeSelector) =>
        nodeSelector is null || nodeSelector.All(kv => K8sJson.Str(nodeSelector, kv.Key) == NodeLabel(node, kv.Key));

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
        var labels = K8sJson.CloneObject(template?["metadata"]?["labels"]);
        labels[RevisionHashLabel] = hash;
        labels["pod-template-generation"] = K8sJson.Generation(ds).ToString(CultureInfo.InvariantCulture);
        var metadata = new JsonObject
        {
            ["generateName"] = K8sJson.Name(ds) + "-",
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(K8sJson.OwnerReference(ds)),
        };
        if (template?["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        var spec = K8sJson.CloneObject(template?["spec"]);
        spec["nodeName"] = node;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }
}
