using k8s;
using k8s.Models;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Objects the workload tests create, and small readers of their status.</summary>
public static class Manifests
{
    public static V1Deployment Deployment(string name, int replicas, Dictionary<string, string>? annotations = null, int? progressDeadlineSeconds = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            ProgressDeadlineSeconds = progressDeadlineSeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name, ["tier"] = "web" }, Annotations = annotations },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "ghcr.io/example/app:1.0" }] },
            },
        },
    };

    public static V1DeploymentCondition? Condition(V1Deployment d, string type) => d.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>What kubectl rollout status waits for: the current generation observed and every replica updated and available.</summary>
    public static bool RolledOut(V1Deployment d, int replicas) =>
        d.Status?.ObservedGeneration >= d.Metadata.Generation &&
        (d.Status.Replicas ?? 0) == replicas && (d.Status.UpdatedReplicas ?? 0) == replicas && (d.Status.AvailableReplicas ?? 0) == replicas &&
        Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable";

    public static Task<V1Deployment> RolledOutAsync(IKubernetes client, string ns, string name, int replicas) =>
        Eventually.ReachAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns), d => RolledOut(d, replicas), $"deployment {name} rolled out with {replicas}");

    public static bool IsReady(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static V1Patch Merge(string json) => new(json, V1Patch.PatchType.MergePatch);
}
