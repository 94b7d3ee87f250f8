using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
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
        if (rs is null || K8sJson.IsDeleting(rs))
        {
            return;
        }

        var spec = K8sJson.Child(rs, "spec");
        var want = K8sJson.Int(spec["replicas"], 1);
        var pods = ctx.ListOwned(Pods, ns, K8sJson.Uid(rs), spec["selector"]);
        if (pods.Count > want)
        {
            // As the real controller: unready pods go first, then the youngest.
            var surplus = pods.OrderBy(KubeletSimulator.IsReady)
                .ThenByDescending(p => K8sJson.Str(p["metadata"], "creationTimestamp"), StringComparer.Ordinal)
                .Take(pods.Count - want).ToList();
            foreach (var pod in surplus)
            {
                ctx.TryDelete(Pods, ns, K8sJson.Name(pod));
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
        K8sJson.SetNonZero(status, "fullyLabeledReplicas", pods.Count(p => HasAll(p, templateLabels)));
        K8sJson.SetNonZero(status, "readyReplicas", ready);
        K8sJson.SetNonZero(status, "availableReplicas", ready);
        K8sJson.SetNonZero(status, "observedGeneration", K8sJson.Generation(rs));
        ctx.WriteStatus(ReplicaSets, ns, rs, status);
    }

    private static JsonObject NewPod(JsonObject rs)
    {
        var template = rs["spec"]?["template"] as JsonObject;
        var metadata = new JsonObject
        {
            ["generateName"] = K8sJson.Name(rs) + "-",
            ["labels"] = K8sJson.CloneObject(template?["metadata"]?["labels"]),
            ["ownerReferences"] = new JsonArray(K8sJson.OwnerReference(rs)),
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
            ["spec"] = K8sJson.CloneObject(template?["spec"]),
        };
    }

    private static bool HasAll(JsonObject pod, JsonObject? labels) =>
        labels is null || labels.All(l => K8sJson.Label(pod, l.Key) == K8sJson.Str(labels, l.Key));
}
