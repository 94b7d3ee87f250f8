using Canary.Api.V1Beta1;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s.Models;

namespace Canary.Providers.Services;

/// <summary>
/// Pure builder of the apex, primary and canary Services (Flagger's <c>KubernetesDefaultRouter.reconcileService</c>):
/// given the Canary and the target's selector, the exact objects to create.
/// </summary>
public static class ServiceBuilder
{
    private const string DefaultPortName = "http";

    /// <summary><c>&lt;apex&gt;</c>: selects the primary pods (or the canary pods while the kubernetes provider routes to them).</summary>
    public static V1Service Apex(CanaryResource canary, ServiceTarget target, bool routeToCanary = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        var selector = routeToCanary ? target.Selector.CanaryPods() : target.Selector.PrimaryPods();
        return Build(canary, CanaryNames.Services(canary).Apex, selector, canary.Spec.Service?.Apex, target);
    }

    /// <summary><c>&lt;apex&gt;-primary</c>: selects the primary pods.</summary>
    public static V1Service Primary(CanaryResource canary, ServiceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Build(canary, CanaryNames.Services(canary).Primary, target.Selector.PrimaryPods(), canary.Spec.Service?.Primary, target);
    }

    /// <summary><c>&lt;apex&gt;-canary</c>: selects the target (canary) pods.</summary>
    public static V1Service Canary(CanaryResource canary, ServiceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Build(canary, CanaryNames.Services(canary).Canary, target.Selector.CanaryPods(), canary.Spec.Service?.Canary, target);
    }

    private static V1Service Build(
        CanaryResource canary, string name, Dictionary<string, string> selector, CustomMetadata? metadata, ServiceTarget target)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var service = canary.Spec.Service
            ?? throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.service is required");
        var labels = ObjectMetadata.Labels(metadata);
        labels[target.Selector.Label] = name;
        var annotations = ObjectMetadata.Generated(ObjectMetadata.Annotations(metadata));
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = CanaryNames.Namespace(canary),
                Labels = labels,
                Annotations = annotations,
                OwnerReferences = [ObjectMetadata.OwnerReference(canary)],
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = service.Headless == true ? "None" : null,
                Selector = selector,
                Ports = Ports(canary, target),
                TrafficDistribution = string.IsNullOrEmpty(service.TrafficDistribution) ? null : service.TrafficDistribution,
            },
        };
    }

    /// <summary>The service port, then the discovered ports sorted by name (targetPort = port).</summary>
    internal static List<V1ServicePort> Ports(CanaryResource canary, ServiceTarget target)
    {
        var service = canary.Spec.Service!;
        var port = service.Port
            ?? throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.service.port is required");
        var targetPort = service.TargetPort is { Value: { Length: > 0 } value } && value != "0"
            ? service.TargetPort
            : (IntOrString)port;
        var ports = new List<V1ServicePort>
        {
            new()
            {
                Name = string.IsNullOrEmpty(service.PortName) ? DefaultPortName : service.PortName,
                Protocol = "TCP",
                Port = port,
                TargetPort = targetPort,
                AppProtocol = string.IsNullOrEmpty(service.AppProtocol) ? null : service.AppProtocol,
            },
        };
        if (service.PortDiscovery == true && target.DiscoveredPorts is not null)
        {
            foreach (var (name, number) in target.DiscoveredPorts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                ports.Add(new V1ServicePort { Name = name, Protocol = "TCP", Port = number, TargetPort = number });
            }
        }

        return ports;
    }
}
