using Canary.Providers.Naming;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Informers;

/// <summary>
/// Secondary indexes that map related objects back to their Canary without scanning: Canaries by target, by
/// Service name and by autoscaler; workloads by the ConfigMaps and Secrets their pod template references.
/// </summary>
public static class CanaryIndexes
{
    /// <summary>Canary index: <c>namespace/key/name</c> of spec.targetRef, key as <c>TargetKinds.KeyOf</c> (Deployment, Service.serving.knative.dev).</summary>
    public const string ByTarget = "target";

    /// <summary>Canary index: <c>namespace/name</c> of the apex, -canary and -primary Services.</summary>
    public const string ByService = "service";

    /// <summary>Canary index: <c>namespace/name</c> of spec.autoscalerRef.</summary>
    public const string ByAutoscaler = "autoscaler";

    /// <summary>Workload index: <c>namespace/configmap/name</c> and <c>namespace/secret/name</c> referenced by the pod template.</summary>
    public const string ByConfig = "config";

    /// <summary>CanaryRequest and Event index: <c>namespace/name</c> of the Canary a request controls (spec.canary) or an Event is about.</summary>
    public const string ByCanary = "canary";

    /// <summary>The value of <see cref="ByCanary"/>.</summary>
    public static string CanaryKey(string ns, string canary) => $"{ns}/{canary}";

    /// <summary>Index function of <see cref="ByCanary"/>.</summary>
    public static IEnumerable<string> RequestedCanary(Api.V1Beta1.CanaryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Spec?.Canary is { Length: > 0 } canary)
        {
            yield return CanaryKey(request.Metadata.NamespaceProperty, canary);
        }
    }

    /// <summary>The value of <see cref="ByTarget"/> for a workload.</summary>
    public static string TargetKey(string ns, string kind, string name) => $"{ns}/{kind}/{name}";

    /// <summary>The value of <see cref="ByConfig"/> for a ConfigMap (<paramref name="kind"/> = configmap) or Secret (secret).</summary>
    public static string ConfigKey(string ns, string kind, string name) => $"{ns}/{kind}/{name}";

    /// <summary>Index function of <see cref="ByTarget"/>.</summary>
    public static IEnumerable<string> Target(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var target = canary.Spec?.TargetRef;
        if (target?.Name is { Length: > 0 } name)
        {
            yield return TargetKey(canary.Metadata.NamespaceProperty, Api.V1Beta1.TargetKinds.KeyOf(target), name);
        }
    }

    /// <summary>Index function of <see cref="ByService"/>.</summary>
    public static IEnumerable<string> Service(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var apex = canary.Spec?.Service?.Name ?? canary.Spec?.TargetRef?.Name;
        if (apex is { Length: > 0 })
        {
            var ns = canary.Metadata.NamespaceProperty;
            yield return $"{ns}/{apex}";
            yield return $"{ns}/{apex}-canary";
            yield return $"{ns}/{apex}{CanaryNames.PrimarySuffix}";
        }
    }

    /// <summary>Index function of <see cref="ByAutoscaler"/>.</summary>
    public static IEnumerable<string> Autoscaler(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (canary.Spec?.AutoscalerRef?.Name is { Length: > 0 } name)
        {
            yield return $"{canary.Metadata.NamespaceProperty}/{name}";
        }
    }

    /// <summary>Index function of <see cref="ByConfig"/> over a pod template.</summary>
    public static IEnumerable<string> Config(string ns, V1PodTemplateSpec? template)
    {
        var spec = template?.Spec;
        if (spec is null)
        {
            return [];
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in spec.Volumes ?? [])
        {
            Add(keys, ns, "configmap", volume.ConfigMap?.Name);
            Add(keys, ns, "secret", volume.Secret?.SecretName);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                Add(keys, ns, "configmap", source.ConfigMap?.Name);
                Add(keys, ns, "secret", source.Secret?.Name);
            }
        }

        foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
        {
            foreach (var from in container.EnvFrom ?? [])
            {
                Add(keys, ns, "configmap", from.ConfigMapRef?.Name);
                Add(keys, ns, "secret", from.SecretRef?.Name);
            }

            foreach (var env in container.Env ?? [])
            {
                Add(keys, ns, "configmap", env.ValueFrom?.ConfigMapKeyRef?.Name);
                Add(keys, ns, "secret", env.ValueFrom?.SecretKeyRef?.Name);
            }
        }

        return keys;
    }

    private static void Add(HashSet<string> keys, string ns, string kind, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            keys.Add(ConfigKey(ns, kind, name));
        }
    }
}
