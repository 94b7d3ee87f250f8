using Canary.Api.Defaults;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s.Models;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the NGINX canary Ingress <c>&lt;ingressRef.name&gt;-canary</c> (as fluxcd/flagger
/// <c>pkg/router/ingress.go</c>) and of its canary annotations.
/// </summary>
/// <remarks>
/// Divergence: when switching to header/cookie routing, previous <c>&lt;prefix&gt;/canary*</c> annotations are dropped by
/// key (Flagger compares the annotation <i>value</i> there, so stale by-header annotations could linger).
/// </remarks>
public static class CanaryIngressBuilder
{
    /// <summary>The canary Ingress cloned from <paramref name="original"/>, backends rewritten, weight 0.</summary>
    public static V1Ingress Build(CanaryResource canary, V1Ingress original, string annotationPrefix)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(original);
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta
            {
                Name = CanaryNames.CanaryIngress(original.Metadata.Name),
                NamespaceProperty = CanaryNames.Namespace(canary),
                Labels = ObjectMetadata.Filtered(original.Metadata.Labels) is { Count: > 0 } labels ? labels : null,
                Annotations = Reset(original.Metadata.Annotations, annotationPrefix),
                OwnerReferences = [ObjectMetadata.OwnerReference(canary)],
            },
            Spec = CanarySpec(canary, original),
        };
    }

    /// <summary>The original's spec with every backend on the apex Service pointed at the canary Service.</summary>
    public static V1IngressSpec CanarySpec(CanaryResource canary, V1Ingress original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var names = CanaryNames.Services(canary);
        var spec = JsonNodes.ToKube<V1IngressSpec>(JsonNodes.FromKube(original.Spec ?? new V1IngressSpec())!);
        var found = false;
        foreach (var path in (spec.Rules ?? []).SelectMany(r => r.Http?.Paths ?? []))
        {
            if (path.Backend?.Service is { } backend && backend.Name == names.Apex)
            {
                backend.Name = names.Canary;
                found = true;
            }
        }

        return found
            ? spec
            : throw new TrafficRouterException($"backend {names.Apex} not found in ingress {original.Metadata.Name}.{original.Metadata.NamespaceProperty}");
    }

    /// <summary>
    /// Annotations after SetRoutes: A/B → by-header/by-cookie annotations from <c>analysis.match</c>; canary → the
    /// weight; canary weight 0 → back to <c>canary: "true"</c>, <c>canary-weight: "0"</c>.
    /// </summary>
    public static Dictionary<string, string> RouteAnnotations(
        CanaryResource canary, IDictionary<string, string>? current, string prefix, int canaryWeight)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (canaryWeight == 0)
        {
            return Reset(current, prefix);
        }

        if (canary.Spec.EffectiveAnalysis()?.Match is not { Count: > 0 } matches)
        {
            var weighted = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [Key(prefix, "canary-weight")] = canaryWeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return weighted;
        }

        string? cookie = null, header = null, headerValue = null, headerPattern = null;
        foreach (var (name, value) in matches.SelectMany(m => m.Headers ?? new Dictionary<string, Api.V1Beta1.StringMatch>()))
        {
            if (name == "cookie")
            {
                cookie = value.Exact;
            }
            else
            {
                (header, headerValue, headerPattern) = (name, value.Exact, value.Regex);
            }
        }

        var result = WithoutCanaryKeys(current, prefix);
        result[Key(prefix, "canary")] = "true";
        SetIfAny(result, Key(prefix, "canary-by-cookie"), cookie);
        SetIfAny(result, Key(prefix, "canary-by-header"), header);
        SetIfAny(result, Key(prefix, "canary-by-header-value"), headerValue);
        SetIfAny(result, Key(prefix, "canary-by-header-pattern"), headerPattern);
        return result;
    }

    /// <summary>A/B with a by-header/by-cookie annotation → (0, 100); else weight from canary-weight, primary = 100 − canary.</summary>
    public static RouteState ReadRoutes(CanaryResource canary, V1Ingress canaryIngress, string prefix)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryIngress);
        var annotations = canaryIngress.Metadata.Annotations ?? new Dictionary<string, string>();
        if (canary.Spec.EffectiveAnalysis()?.Match is { Count: > 0 } &&
            (annotations.ContainsKey(Key(prefix, "canary-by-cookie")) || annotations.ContainsKey(Key(prefix, "canary-by-header"))))
        {
            return new RouteState(0, 100, false);
        }

        var weight = annotations.TryGetValue(Key(prefix, "canary-weight"), out var text) &&
            int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : 0;
        return new RouteState(100 - weight, weight, false);
    }

    /// <summary><c>&lt;prefix&gt;/&lt;name&gt;</c>.</summary>
    public static string Key(string prefix, string name) => $"{prefix}/{name}";

    // Flagger's makeAnnotations: the original's annotations minus canary ones, Flux's and kubectl's record, weight 0;
    // Flux's markers so a Kustomization holding the original leaves the copy alone.
    private static Dictionary<string, string> Reset(IDictionary<string, string>? annotations, string prefix)
    {
        var result = ObjectMetadata.Generated(WithoutCanaryKeys(ObjectMetadata.CopiedAnnotations(annotations), prefix));
        result[Key(prefix, "canary")] = "true";
        result[Key(prefix, "canary-weight")] = "0";
        return result;
    }

    private static Dictionary<string, string> WithoutCanaryKeys(IDictionary<string, string>? annotations, string prefix)
    {
        var canaryKey = Key(prefix, "canary");
        return (annotations ?? new Dictionary<string, string>())
            .Where(a => !a.Key.Contains(canaryKey, StringComparison.Ordinal))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
    }

    private static void SetIfAny(Dictionary<string, string> target, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[key] = value;
        }
    }
}
