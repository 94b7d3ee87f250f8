using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Rewrites a copy of the target's pod spec for the primary: tracked ConfigMap/Secret references point at the -primary
/// copies, and affinity / topology spread label selectors that select the target's pods select the primary's instead.
/// </summary>
public static class PodSpecRewriter
{
    /// <summary>A rewritten deep copy of <paramref name="spec"/>.</summary>
    public static V1PodSpec ForPrimary(V1PodSpec spec, TrackedConfigs configs, TargetSelector selector, IEnumerable<string> selectorLabels)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(selector);
        var copy = ObjectCopies.Clone(spec);
        string Cm(string? name) => name is not null && configs.Contains(ConfigKind.ConfigMap, name) ? name + CanaryNames.PrimarySuffix : name!;
        string Sec(string? name) => name is not null && configs.Contains(ConfigKind.Secret, name) ? name + CanaryNames.PrimarySuffix : name!;

        foreach (var volume in copy.Volumes ?? [])
        {
            if (volume.ConfigMap is { } cm)
            {
                cm.Name = Cm(cm.Name);
            }

            if (volume.Secret is { } secret)
            {
                secret.SecretName = Sec(secret.SecretName);
            }

            foreach (var source in volume.Projected?.Sources ?? [])
            {
                if (source.ConfigMap is { } pcm)
                {
                    pcm.Name = Cm(pcm.Name);
                }

                if (source.Secret is { } ps)
                {
                    ps.Name = Sec(ps.Name);
                }
            }
        }

        foreach (var container in (copy.Containers ?? []).Concat(copy.InitContainers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                if (env.ValueFrom?.ConfigMapKeyRef is { } cmRef)
                {
                    cmRef.Name = Cm(cmRef.Name);
                }

                if (env.ValueFrom?.SecretKeyRef is { } secretRef)
                {
                    secretRef.Name = Sec(secretRef.Name);
                }
            }

            foreach (var envFrom in container.EnvFrom ?? [])
            {
                if (envFrom.ConfigMapRef is { } cmEnv)
                {
                    cmEnv.Name = Cm(cmEnv.Name);
                }

                if (envFrom.SecretRef is { } secretEnv)
                {
                    secretEnv.Name = Sec(secretEnv.Name);
                }
            }
        }

        var keys = selectorLabels.ToHashSet(StringComparer.Ordinal);
        foreach (var constraint in copy.TopologySpreadConstraints ?? [])
        {
            RewriteSelector(constraint.LabelSelector, selector, keys);
        }

        var antiAffinity = copy.Affinity?.PodAntiAffinity;
        foreach (var term in antiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
        {
            RewriteSelector(term.LabelSelector, selector, keys);
        }

        foreach (var weighted in antiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
        {
            RewriteSelector(weighted.PodAffinityTerm?.LabelSelector, selector, keys);
        }

        return copy;
    }

    private static void RewriteSelector(V1LabelSelector? labelSelector, TargetSelector selector, HashSet<string> keys)
    {
        if (labelSelector is null)
        {
            return;
        }

        if (labelSelector.MatchLabels is { } labels)
        {
            foreach (var key in labels.Keys.Where(k => keys.Contains(k) && labels[k] == selector.Value).ToList())
            {
                labels[key] = selector.PrimaryValue;
            }
        }

        foreach (var expression in labelSelector.MatchExpressions ?? [])
        {
            if (keys.Contains(expression.Key) && expression.Values is { } values)
            {
                expression.Values = [.. values.Select(v => v == selector.Value ? selector.PrimaryValue : v)];
            }
        }
    }
}
