using Canary.Api.V1Beta1;
using Canary.Providers.Routing;

namespace Canary.Providers.Naming;

/// <summary>Flagger's naming rules for everything generated from a Canary.</summary>
public static class CanaryNames
{
    /// <summary>Suffix of the primary workload, Service, ConfigMaps, Secrets and autoscaler.</summary>
    public const string PrimarySuffix = CanaryApi.PrimarySuffix;

    /// <summary>Suffix of the canary Service and of the canary Ingress.</summary>
    public const string CanarySuffix = "-canary";

    /// <summary>Name of the target workload (<c>spec.targetRef.name</c>); throws when missing.</summary>
    public static string Target(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var name = canary.Spec.TargetRef?.Name;
        return string.IsNullOrEmpty(name)
            ? throw new TrafficRouterException($"canary {Describe(canary)}: spec.targetRef.name is required")
            : name;
    }

    /// <summary>Apex, primary and canary Service names: <c>service.name</c> (default target name), <c>-primary</c>, <c>-canary</c>.</summary>
    public static ServiceNames Services(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var apex = canary.Spec.Service?.Name is { Length: > 0 } name ? name : Target(canary);
        return new ServiceNames(apex, apex + PrimarySuffix, apex + CanarySuffix);
    }

    /// <summary>Name of the primary workload: <c>&lt;target&gt;-primary</c>.</summary>
    public static string PrimaryWorkload(CanaryResource canary) => Target(canary) + PrimarySuffix;

    /// <summary>Name of the NGINX canary Ingress: <c>&lt;ingressRef.name&gt;-canary</c>.</summary>
    public static string CanaryIngress(string ingressName) => ingressName + CanarySuffix;

    /// <summary><c>spec.ingressRef.name</c>, which <paramref name="provider"/> needs; a missing one is an error naming the field.</summary>
    public static string IngressRef(CanaryResource canary, string provider) =>
        canary.Spec.IngressRef?.Name is { Length: > 0 } name
            ? name
            : throw new Routing.TrafficRouterException($"canary {Describe(canary)}: spec.ingressRef.name is required by the {provider} provider");

    /// <summary><c>name.namespace</c>, the form used in every message (Flagger's).</summary>
    public static string Describe(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return $"{canary.Metadata.Name}.{canary.Metadata.NamespaceProperty}";
    }

    /// <summary>Namespace of the Canary, where every generated object lives; throws when missing.</summary>
    public static string Namespace(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return canary.Metadata.NamespaceProperty is { Length: > 0 } ns
            ? ns
            : throw new TrafficRouterException($"canary {canary.Metadata.Name}: metadata.namespace is required");
    }
}
