using k8s.Models;

namespace Canary.Rollout.Revisions;

/// <summary>
/// Finds the ConfigMaps and Secrets a pod spec uses: volumes (incl. projected sources), env valueFrom and envFrom of
/// containers and init containers (Flagger's config tracker scope).
/// </summary>
public static class ConfigRefScanner
{
    /// <summary>Distinct references; a reference is optional only if every use of the object is optional.</summary>
    public static IReadOnlyList<ConfigRef> Scan(V1PodSpec? spec)
    {
        var found = new Dictionary<(ConfigKind, string), bool>();
        void Add(ConfigKind kind, string? name, bool? optional)
        {
            if (string.IsNullOrEmpty(name))
            {
                return;
            }

            var isOptional = optional == true;
            found[(kind, name)] = found.TryGetValue((kind, name), out var previous) ? previous && isOptional : isOptional;
        }

        foreach (var volume in spec?.Volumes ?? [])
        {
            Add(ConfigKind.ConfigMap, volume.ConfigMap?.Name, volume.ConfigMap?.Optional);
            Add(ConfigKind.Secret, volume.Secret?.SecretName, volume.Secret?.Optional);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                Add(ConfigKind.ConfigMap, source.ConfigMap?.Name, source.ConfigMap?.Optional);
                Add(ConfigKind.Secret, source.Secret?.Name, source.Secret?.Optional);
            }
        }

        foreach (var container in (spec?.Containers ?? []).Concat(spec?.InitContainers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                Add(ConfigKind.ConfigMap, env.ValueFrom?.ConfigMapKeyRef?.Name, env.ValueFrom?.ConfigMapKeyRef?.Optional);
                Add(ConfigKind.Secret, env.ValueFrom?.SecretKeyRef?.Name, env.ValueFrom?.SecretKeyRef?.Optional);
            }

            foreach (var envFrom in container.EnvFrom ?? [])
            {
                Add(ConfigKind.ConfigMap, envFrom.ConfigMapRef?.Name, envFrom.ConfigMapRef?.Optional);
                Add(ConfigKind.Secret, envFrom.SecretRef?.Name, envFrom.SecretRef?.Optional);
            }
        }

        return [.. found.Select(kv => new ConfigRef(kv.Key.Item1, kv.Key.Item2, kv.Value)).OrderBy(r => r.Key, StringComparer.Ordinal)];
    }
}
