using Canary.Api.Support;
using Canary.MetricTemplates.Providers;
using Canary.Providers.Registry;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>What this controller implements, from its three registries, as the API validation needs it.</summary>
public static class ControllerSupport
{
    /// <summary>The support of a controller whose <c>--mesh-provider</c> is <paramref name="defaultProvider"/>.</summary>
    public static ApiSupport For(string? defaultProvider) => new()
    {
        Providers = TrafficProviderRegistry.Default.Providers
            .SelectMany(p => p.Names.Select(name => (name, p.Capabilities)))
            .ToDictionary(p => p.name, p => p.Capabilities, StringComparer.Ordinal),
        DefaultProvider = defaultProvider,
        TargetKinds = [.. TargetRegistry.Targets.Select(t => t.Kind)],
        SwitchOnlyTargetKinds = [.. TargetRegistry.Targets.Where(t => !t.SupportsWeights).Select(t => t.Kind)],
        ServiceTargetKinds = [.. TargetRegistry.Targets.Where(t => t.OwnsServices).Select(t => t.Kind)],
        AutoscaledTargetKinds = [.. TargetRegistry.Targets.Where(t => t.Autoscaled).Select(t => t.Kind)],
        AutoscalerKinds = [.. TargetRegistry.Autoscalers.Select(t => t.Kind)],
        MetricBackends = MetricBackendRegistry.Default.Types,
    };
}
