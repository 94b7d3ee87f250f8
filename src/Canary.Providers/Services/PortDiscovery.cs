using Canary.Api.V1Beta1;
using k8s.Models;

namespace Canary.Providers.Services;

/// <summary>Flagger's <c>portDiscovery</c>: the target's container ports to add to the generated Services.</summary>
public static class PortDiscovery
{
    // Sidecar proxies' ports must not be exposed through the application's Services.
    private static readonly HashSet<string> ProxyContainers = new(StringComparer.Ordinal) { "istio-proxy", "envoy", "linkerd-proxy" };

    /// <summary>
    /// Every container port except the service port/targetPort and those of proxy containers; unnamed ports are named
    /// <c>tcp-&lt;container&gt;-&lt;index&gt;</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Discover(CanaryService service, V1PodSpec podSpec)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(podSpec);
        var targetPort = service.TargetPort?.Value;
        var ports = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var container in podSpec.Containers ?? [])
        {
            if (ProxyContainers.Contains(container.Name))
            {
                continue;
            }

            var index = 0;
            foreach (var port in container.Ports ?? [])
            {
                var position = index++;
                if (IsServicePort(port, service.Port, targetPort))
                {
                    continue;
                }

                var name = string.IsNullOrEmpty(port.Name) ? $"tcp-{container.Name}-{position}" : port.Name;
                ports[name] = port.ContainerPort;
            }
        }

        return ports;
    }

    private static bool IsServicePort(V1ContainerPort port, int? servicePort, string? targetPort)
    {
        if (string.IsNullOrEmpty(targetPort) || targetPort == "0")
        {
            return port.ContainerPort == servicePort;
        }

        return int.TryParse(targetPort, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? port.ContainerPort == number
            : port.Name == targetPort;
    }
}
