using Canary.Providers.Routing;

namespace Canary.Rollout.Engine;

/// <summary>Picks the traffic router (and provider name) for a Canary.</summary>
public interface ITrafficRouterResolver
{
    /// <summary>Provider name for <paramref name="canary"/> (spec.provider or the controller default).</summary>
    string ProviderOf(CanaryResource canary);

    /// <summary>The router for <paramref name="canary"/>'s provider.</summary>
    ITrafficRouter RouterFor(CanaryResource canary);
}

/// <summary><see cref="ITrafficRouterResolver"/> over the Providers project's <see cref="TrafficRouterFactory"/>.</summary>
public sealed class TrafficRouterFactoryResolver(TrafficRouterFactory factory) : ITrafficRouterResolver
{
    /// <inheritdoc />
    public string ProviderOf(CanaryResource canary) => factory.ResolveProvider(canary);

    /// <inheritdoc />
    public ITrafficRouter RouterFor(CanaryResource canary) => factory.CreateFor(canary);
}
