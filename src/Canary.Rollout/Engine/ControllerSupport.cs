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
        Providers = Providers(defaultProvider),
        DefaultProvider = defaultProvider,
        TargetKinds = [.. TargetRegistry.Targets.Select(t => t.Kind)],
        SwitchOnlyTargetKinds = [.. TargetRegistry.Targets.Where(t => !t.SupportsWeights).Select(t => t.Kind)],
        ServiceTargetKinds = [.. TargetRegistry.Targets.Where(t => t.OwnsServices).Select(t => t.Kind)],
        AutoscaledTargetKinds = [.. TargetRegistry.Targets.Where(t => t.Autoscaled).Select(t => t.Kind)],
        AutoscalerKinds = [.. TargetRegistry.Autoscalers.Select(t => t.Kind)],
        MetricBackends = MetricBackendRegistry.Default.Types,
    };

    // Every registered name, plus the default as spelled when it carries a mesh suffix (smi:v1alpha2:linkerd), so a
    // Canary without spec.provider is checked against the provider it will use.
    private static Dictionary<string, ProviderCapabilities> Providers(string? defaultProvider)
    {
        var registry = TrafficProviderRegistry.Default;
        var providers = registry.Providers
            .SelectMany(p => p.Names.Select(name => (name, p.Capabilities)))
            .ToDictionary(p => p.name, p => p.Capabilities, StringComparer.Ordinal);
        if (defaultProvider is not null && !providers.ContainsKey(defaultProvider) && registry.Find(defaultProvider) is { } suffixed)
        {
            providers[defaultProvider] = suffixed.Capabilities;
        }

        return providers;
    }
}
