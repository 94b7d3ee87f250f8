using Canary.Providers.Naming;

namespace Canary.Providers.Services;

/// <summary>What the generated Services need to know about the target workload (Flagger's <c>GetMetadata</c> result).</summary>
/// <param name="Selector">The target's pod selector label and value.</param>
/// <param name="DiscoveredPorts">Extra ports by name (<see cref="PortDiscovery"/>); used only when <c>service.portDiscovery</c> is true.</param>
public sealed record ServiceTarget(TargetSelector Selector, IReadOnlyDictionary<string, int>? DiscoveredPorts = null);
