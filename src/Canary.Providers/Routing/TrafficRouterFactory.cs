using Canary.Providers.Registry;
using Canary.Providers.Services;
using k8s;
using Microsoft.Extensions.Options;

namespace Canary.Providers.Routing;

/// <summary>Maps provider names to router implementations (Flagger's <c>router.Factory</c>, without its silent Istio fallback).</summary>
public sealed class TrafficRouterFactory
{
    private readonly IKubernetes _kube;
    private readonly TrafficRouterOptions _options;

    /// <summary>Creates a factory whose routers share <paramref name="kube"/> and <paramref name="options"/>.</summary>
    public TrafficRouterFactory(IKubernetes kube, IOptions<TrafficRouterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _kube = kube ?? throw new ArgumentNullException(nameof(kube));
        _options = options.Value;
    }

    /// <summary><c>spec.provider</c>, else the configured default; throws when neither is set.</summary>
    public string ResolveProvider(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return canary.Spec.Provider is { Length: > 0 } provider ? provider : _options.DefaultProvider ?? string.Empty;
    }

    /// <summary>The router for the Canary's provider.</summary>
    public ITrafficRouter CreateFor(CanaryResource canary) => Create(ResolveProvider(canary));

    /// <summary>The router for <paramref name="provider"/>; unknown names throw <see cref="TrafficRouterException"/>.</summary>
    public ITrafficRouter Create(string provider) => TrafficProviderRegistry.Default.Resolve(provider).Create(_kube, _options, provider);

    /// <summary>The apex/primary/canary Services router, used for every provider.</summary>
    public KubernetesServiceRouter CreateServiceRouter() => new(_kube, _options);
}
