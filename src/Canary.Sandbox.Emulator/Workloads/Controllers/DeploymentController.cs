using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod template (named &lt;deployment&gt;-&lt;pod-template-hash&gt;), the
/// new one scaled to spec.replicas at once (a 100% surge), old ones scaled to zero once the new one is fully
/// available (Recreate: old ones first). Status and conditions follow <see cref="DeploymentStatusCalculator"/>.
/// </summary>
internal sealed class DeploymentController(SimulatorContext ctx)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string PodTemplateHashLabel = "pod-template-hash";

    private static readonly GroupVersionResource Deployments = BuiltInResources.Deployments;
    private static readonly GroupVersionResource ReplicaSets = BuiltInResources.ReplicaSets;

    public void Reconcile(string ns, string name)
    {
        var d = ctx.TryGet(Deployments, ns, name);
        if (d is null || KubeJson.IsDeleting(d))
        {
            return;
        }

        var spec = KubeJson.Child(d, "spec");
        var replicas = KubeJson.Int(spec["replicas"], 1);
        var hash = TemplateHash.Compute(spec["template"]);
        var owned = ctx.ListOwned(ReplicaSets, ns, KubeJson.Uid(d), spec["selector"]);
        var newRs = owned.FirstOrDefault(rs => KubeJson.Label(rs, PodTemplateHashLabel) == hash);
        var old = owned.Where(rs => !ReferenceEquals(rs, newRs)).ToList();
        var maxRevision = owned.Select(Revision).DefaultIfEmpty(0).Max();
        string? created = null;
        if (newRs is null)
        {
            newRs = ctx.CreateOwned(ReplicaSets, ns, NewReplicaSet(d, hash, maxRevision + 1), Deployments, d);
            if (newRs is null)
            {
                return;
            }

            created = KubeJson.Name(newRs);
        }
        else if (Revision(newRs) < maxRevision)
        {
            // Rolling back to an older template makes its ReplicaSet the newest revision again.
            newRs = SetRevision(newRs, maxRevision + 1);
        }

        var recreate = KubeJson.Str(spec["strategy"], "type") == "Recreate";
        var oldRunning = old.Any(rs => KubeJson.Int(rs["status"]?["replicas"]) > 0);
        newRs = Scale(newRs, recreate && oldRunning ? 0 : replicas, replicas);
        if (recreate || KubeJson.Int(newRs["status"]?["availableReplicas"]) >= replicas)
        {
            old = old.Select(rs => Scale(rs, 0, replicas)).ToList();
        }

        old = Prune(ns, old, KubeJson.Int(spec["revisionHistoryLimit"], 10));
        d = EnsureRevisionAnnotation(ns, d, Revision(newRs));

        var status = DeploymentStatusCalculator.Calculate(d, newRs, old, created, ctx.NowStamp, ctx.Now);
        ctx.WriteStatus(Deployments, ns, d, status);
        if (DeploymentStatusCalculator.DeadlineCheckAt(d, status) is { } at)
        {
            ctx.RequeueAt(new WorkKey(WorkKind.Deployment, ns, name), at);
        }
    }

    private static int Revision(JsonObject rs) =>
        int.TryParse(KubeJson.Annotation(rs, RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static JsonObject NewReplicaSet(JsonObject d, string hash, int revision)
    {
        var spec = d["spec"]!;
        var template = KubeJson.CloneObject(spec["template"]);
        var templateLabels = KubeJson.Child(KubeJson.Meta(template), "labels");
        templateLabels[PodTemplateHashLabel] = hash;
        var selector = KubeJson.CloneObject(spec["selector"]);
        KubeJson.Child(selector, "matchLabels")[PodTemplateHashLabel] = hash;
        var rsSpec = new JsonObject
        {
            ["replicas"] = 0,
            ["selector"] = selector,
            ["template"] = template,
        };
        if (spec["minReadySeconds"] is { } minReady)
        {
            rsSpec["minReadySeconds"] = minReady.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{KubeJson.Name(d)}-{hash}",
                ["labels"] = templateLabels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    [DesiredReplicasAnnotation] = KubeJson.Int(spec["replicas"], 1).ToString(CultureInfo.InvariantCulture),
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(d)),
            },
            ["spec"] = rsSpec,
        };
    }

    private JsonObject Scale(JsonObject rs, int replicas, int deploymentReplicas)
    {
        var desired = deploymentReplicas.ToString(CultureInfo.InvariantCulture);
        if (KubeJson.Int(rs["spec"]?["replicas"], 1) == replicas && KubeJson.Annotation(rs, DesiredReplicasAnnotation) == desired)
        {
            return rs;
        }

        var next = (JsonObject)rs.DeepClone();
        KubeJson.Child(next, "spec")["replicas"] = replicas;
        KubeJson.Child(KubeJson.Meta(next), "annotations")[DesiredReplicasAnnotation] = desired;
        return ctx.Store.Update(ReplicaSets, KubeJson.Str(rs["metadata"], "namespace"), next);
    }

    private JsonObject SetRevision(JsonObject rs, int revision)
    {
        var next = (JsonObject)rs.DeepClone();
        KubeJson.Child(KubeJson.Meta(next), "annotations")[RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
        return ctx.Store.Update(ReplicaSets, KubeJson.Str(rs["metadata"], "namespace"), next);
    }

    // Old ReplicaSets scaled to zero are kept as rollout history up to revisionHistoryLimit, oldest removed first.
    private List<JsonObject> Prune(string ns, List<JsonObject> old, int limit)
    {
        var idle = old.Where(rs => KubeJson.Int(rs["spec"]?["replicas"], 1) == 0 && KubeJson.Int(rs["status"]?["replicas"]) == 0)
            .OrderBy(Revision).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            ctx.TryDelete(ReplicaSets, ns, KubeJson.Name(rs));
            old.Remove(rs);
        }

        return old;
    }

    private JsonObject EnsureRevisionAnnotation(string ns, JsonObject d, int revision)
    {
        var text = revision.ToString(CultureInfo.InvariantCulture);
        if (KubeJson.Annotation(d, RevisionAnnotation) == text)
        {
            return d;
        }

        var next = (JsonObject)d.DeepClone();
        KubeJson.Child(KubeJson.Meta(next), "annotations")[RevisionAnnotation] = text;
        return ctx.Store.Update(Deployments, ns, next);
    }
}
