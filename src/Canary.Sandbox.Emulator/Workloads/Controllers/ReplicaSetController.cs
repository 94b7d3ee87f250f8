using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// The ReplicaSet controller: keeps spec.replicas pods of the template (owned by the ReplicaSet, named
/// &lt;rs&gt;-xxxxx) and reports replicas, fullyLabeledReplicas, readyReplicas and availableReplicas.
/// </summary>
internal sealed class ReplicaSetController(SimulatorContext ctx)
{
    private static readonly GroupVersionResource ReplicaSets = BuiltInResources.ReplicaSets;
    private static readonly GroupVersionResource Pods = BuiltInResources.Pods;

    public void Reconcile(string ns, string name)
    {
        var rs = ctx.TryGet(ReplicaSets, ns, name);
        if (rs is null || KubeJson.IsDeleting(rs))
        {
            return;
        }

        var spec = KubeJson.Child(rs, "spec");
        var want = KubeJson.Int(spec["replicas"], 1);
        var pods = ctx.ListOwned(Pods, ns, KubeJson.Uid(rs), spec["selector"]);
        if (pods.Count > want)
        {
            // As the real controller: unready pods go first, then the youngest.
            var surplus = pods.OrderBy(KubeletSimulator.IsReady)
                .ThenByDescending(p => KubeJson.Str(p["metadata"], "creationTimestamp"), StringComparer.Ordinal)
                .Take(pods.Count - want).ToList();
            foreach (var pod in surplus)
            {
                ctx.TryDelete(Pods, ns, KubeJson.Name(pod));
                pods.Remove(pod);
            }
        }

        for (var i = pods.Count; i < want; i++)
        {
            if (ctx.CreateOwned(Pods, ns, NewPod(rs), ReplicaSets, rs) is not { } created)
            {
                return;
            }

            pods.Add(created);
        }

        var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        var ready = pods.Count(KubeletSimulator.IsReady);
        var status = new JsonObject { ["replicas"] = pods.Count };
        KubeJson.SetNonZero(status, "fullyLabeledReplicas", pods.Count(p => HasAll(p, templateLabels)));
        KubeJson.SetNonZero(status, "readyReplicas", ready);
        KubeJson.SetNonZero(status, "availableReplicas", ready);
        KubeJson.SetNonZero(status, "observedGeneration", KubeJson.Generation(rs));
        ctx.WriteStatus(ReplicaSets, ns, rs, status);
    }

    private static JsonObject NewPod(JsonObject rs)
    {
        var template = rs["spec"]?["template"] as JsonObject;
        var metadata = new JsonObject
        {
            ["generateName"] = KubeJson.Name(rs) + "-",
            ["labels"] = KubeJson.CloneObject(template?["metadata"]?["labels"]),
            ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(rs)),
        };
        if (template?["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = KubeJson.CloneObject(template?["spec"]),
        };
    }

    private static bool HasAll(JsonObject pod, JsonObject? labels) =>
        labels is null || labels.All(l => KubeJson.Label(pod, l.Key) == KubeJson.Str(labels, l.Key));
}
