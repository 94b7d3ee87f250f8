using Canary.Api.V1Beta1;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>Metadata rules shared by every generated object: owner reference to the Canary and filtered labels/annotations.</summary>
public static class ObjectCopies
{
    /// <summary>The controller owner reference to <paramref name="canary"/>, so deleting it garbage-collects the copies.</summary>
    public static V1OwnerReference OwnerReference(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return new V1OwnerReference
        {
            ApiVersion = CanaryApi.ApiVersion,
            Kind = CanaryResource.KubeKind,
            Name = canary.Metadata.Name,
            Uid = canary.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>
    /// Copies <paramref name="source"/> without keys that belong to the source object only: GitOps tool ownership
    /// (<c>*toolkit.fluxcd.io*</c>, Argo CD tracking) and <c>kubectl.kubernetes.io/last-applied-configuration</c>.
    /// </summary>
    public static Dictionary<string, string> Filter(IDictionary<string, string>? source) =>
        (source ?? new Dictionary<string, string>())
            .Where(kv => !kv.Key.Contains("toolkit.fluxcd.io", StringComparison.Ordinal)
                && !kv.Key.StartsWith("argocd.argoproj.io", StringComparison.Ordinal)
                && kv.Key != "kubectl.kubernetes.io/last-applied-configuration")
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>A deep copy through JSON (KubernetesClient models are mutable).</summary>
    public static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
