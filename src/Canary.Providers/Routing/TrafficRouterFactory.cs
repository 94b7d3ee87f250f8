using Canary.Providers.Providers;
using Canary.Providers.Services;
using k8s;

namespace Canary.Providers.Routing;

/// <summary>Maps provider names to router implementations (Flagger's <c>router.Factory</c>, without its silent Istio fallback).</summary>
public sealed class TrafficRouterFactory
{
    private readonly IKubernetes _kube;
    private readonly TrafficRouterOptions _options;

    /// <summary>Creates a factory whose routers share <paramref name="kube"/> and <paramref name="options"/>.</summary>
    public TrafficRouterFactory(IKubernetes kube, TrafficRouterOptions? options = null)
    {
        _kube = kube ?? throw new ArgumentNullException(nameof(kube));
        _options = options ?? new TrafficRouterOptions();
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
    public ITrafficRouter Create(string provider) => ProviderNames.Canonical(provider) switch
    {
        ProviderNames.Kubernetes => new KubernetesRouter(_kube, _options),
        ProviderNames.GatewayApiV1 => new GatewayApiRouter(_kube, _options, RouterKinds.HttpRouteV1, provider),
        ProviderNames.GatewayApiV1Beta1 => new GatewayApiRouter(_kube, _options, RouterKinds.HttpRouteV1Beta1, provider),
        ProviderNames.Nginx => new NginxRouter(_kube, _options),
        ProviderNames.Istio => new IstioRouter(_kube, _options),
        _ => throw new InvalidOperationException("unreachable: Canonical rejects unknown providers"),
    };

    /// <summary>The apex/primary/canary Services router, used for every provider.</summary>
    public KubernetesServiceRouter CreateServiceRouter() => new(_kube, _options);
}
