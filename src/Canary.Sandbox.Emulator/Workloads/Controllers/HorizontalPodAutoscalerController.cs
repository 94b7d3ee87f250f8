using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// An HPA without load: replicas inside [minReplicas, maxReplicas] are left alone, replicas outside are set to
/// minReplicas through the target's scale subresource, a target scaled to zero disables autoscaling (as the real
/// controller does, which is what lets Flagger park a canary at zero), and status/conditions report it.
/// </summary>
internal sealed class HorizontalPodAutoscalerController(SimulatorContext ctx)
{
    private static readonly GroupVersionResource Hpas = BuiltInResources.HorizontalPodAutoscalers;

    /// <summary>The scalable resource a scaleTargetRef names, or null for kinds the sandbox does not scale.</summary>
    public static GroupVersionResource? TargetResource(JsonNode? targetRef) => KubeJson.Str(targetRef, "kind") switch
    {
        "Deployment" => BuiltInResources.Deployments,
        "ReplicaSet" => BuiltInResources.ReplicaSets,
        _ => null,
    };

    public void Reconcile(string ns, string name)
    {
        var hpa = ctx.TryGet(Hpas, ns, name);
        if (hpa is null || KubeJson.IsDeleting(hpa))
        {
            return;
        }

        var spec = KubeJson.Child(hpa, "spec");
        var min = KubeJson.Int(spec["minReplicas"], 1);
        var max = KubeJson.Int(spec["maxReplicas"], min);
        var targetRef = spec["scaleTargetRef"];
        var targetName = KubeJson.Str(targetRef, "name") ?? string.Empty;
        var previous = hpa["status"] as JsonObject ?? [];
        var status = new JsonObject();
        KubeJson.SetNonZero(status, "observedGeneration", KubeJson.Generation(hpa));
        if (previous["lastScaleTime"] is { } lastScale)
        {
            status["lastScaleTime"] = lastScale.DeepClone();
        }

        if (previous["conditions"] is JsonArray conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        var now = ctx.NowStamp;
        var gvr = TargetResource(targetRef);
        var scale = gvr is { } g ? ctx.TryGet(g, ns, targetName, "scale") : null;
        if (scale is null)
        {
            status["desiredReplicas"] = 0;
            var kind = KubeJson.Str(targetRef, "kind")?.ToLowerInvariant() ?? "unknown";
            Set(status, "AbleToScale", false, "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {kind}s/scale \"{targetName}\" not found", now);
            ctx.WriteStatus(Hpas, ns, hpa, status);
            return;
        }

        var current = KubeJson.Int(scale["spec"]?["replicas"]);
        KubeJson.SetNonZero(status, "currentReplicas", KubeJson.Int(scale["status"]?["replicas"]));
        if (current == 0 && min != 0)
        {
            status["desiredReplicas"] = 0;
            Set(status, "AbleToScale", true, "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
            Set(status, "ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
            ctx.WriteStatus(Hpas, ns, hpa, status);
            return;
        }

        var desired = current < min || current > max ? min : current;
        status["desiredReplicas"] = desired;
        if (desired != current)
        {
            ctx.Store.Patch(gvr!.Value, ns, targetName, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = desired } }, "scale");
            status["lastScaleTime"] = now;
            Set(status, "AbleToScale", true, "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}", now);
        }
        else
        {
            Set(status, "AbleToScale", true, "ReadyForNewScale", "recommended size matches current size", now);
        }

        Set(status, "ScalingActive", true, "ValidMetricFound", "the HPA was able to successfully calculate a replica count (sandbox: no load, the recommendation is minReplicas)", now);
        if (current < min)
        {
            Set(status, "ScalingLimited", true, "TooFewReplicas", "the desired replica count is less than the minimum replica count", now);
        }
        else if (current > max)
        {
            Set(status, "ScalingLimited", true, "TooManyReplicas", "the desired replica count is more than the maximum replica count", now);
        }
        else
        {
            Set(status, "ScalingLimited", false, "DesiredWithinRange", "the desired count is within the acceptable range", now);
        }

        ctx.WriteStatus(Hpas, ns, hpa, status);
    }

    private static void Set(JsonObject status, string type, bool value, string reason, string message, string now) =>
        Conditions.Set(status, type, value, reason, message, now, withUpdateTime: false);
}
