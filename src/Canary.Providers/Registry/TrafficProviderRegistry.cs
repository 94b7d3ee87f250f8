using Canary.Kubernetes.Resources;
using Canary.Providers.Routers;
using Canary.Providers.Routing;

namespace Canary.Providers.Registry;

/// <summary>
/// The traffic providers this controller implements: validation, controller flags, informers, the state machine, the
/// RBAC manifest test and the sandbox ask here, and nothing else lists providers. Adding one = its router files plus one
/// line in <see cref="Default"/>.
/// </summary>
public sealed class TrafficProviderRegistry
{
    private readonly Dictionary<string, TrafficProvider> _byName = new(StringComparer.Ordinal);
    private readonly List<TrafficProvider> _providers = [];

    /// <summary>A registry of <paramref name="providers"/>; a name or alias registered twice throws.</summary>
    public TrafficProviderRegistry(IEnumerable<TrafficProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        foreach (var provider in providers)
        {
            _providers.Add(provider);
            foreach (var name in provider.Names)
            {
                if (!_byName.TryAdd(name, provider))
                {
                    throw new ArgumentException($"traffic provider name '{name}' is registered twice", nameof(providers));
                }
            }
        }
    }

    /// <summary>The providers implemented today.</summary>
    public static TrafficProviderRegistry Default { get; } = new(
    [
        KubernetesRouter.Registration,
        GatewayApiRouter.RegistrationV1,
        GatewayApiRouter.RegistrationV1Beta1,
        NginxRouter.Registration,
        IstioRouter.Registration,
        SmiRouter.Linkerd,
        SmiRouter.V1Alpha1,
        SmiRouter.V1Alpha2,
        SmiRouter.V1Alpha3,
        ContourRouter.Registration,
        TraefikRouter.Registration,
        SkipperRouter.Registration,
        KumaRouter.Registration,
        GlooRouter.Registration,
        ApisixRouter.Registration,
        KnativeRouter.Registration,
    ]);

    /// <summary>Every registered provider, in registration order.</summary>
    public IReadOnlyList<TrafficProvider> Providers => _providers;

    /// <summary>Every accepted name (canonical names and aliases), sorted.</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The provider a name or alias selects (or, for providers that accept one, the name with a <c>:&lt;mesh&gt;</c> suffix), or null.</summary>
    public TrafficProvider? Find(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (_byName.TryGetValue(name, out var provider))
        {
            return provider;
        }

        var cut = name.LastIndexOf(':');
        return cut > 0 && cut < name.Length - 1 && _byName.TryGetValue(name[..cut], out var prefixed) && prefixed.AcceptsMeshSuffix ? prefixed : null;
    }

    /// <summary>
    /// The provider a name selects; an empty or unknown name throws <see cref="TrafficRouterException"/> listing what is
    /// supported (Flagger silently falls back to Istio, which hides typos until traffic goes nowhere).
    /// </summary>
    public TrafficProvider Resolve(string? name) => name switch
    {
        null or "" => throw new TrafficRouterException(
            $"no traffic provider: set spec.provider or the controller's default provider (supported: {string.Join(", ", Names)})"),
        _ => Find(name) ?? throw new TrafficRouterException($"traffic provider '{name}' is not supported (supported: {string.Join(", ", Names)})"),
    };

    /// <summary>Every resource type of every provider, Services first, each once.</summary>
    public IReadOnlyList<ResourceKind> AllResources => [.. Providers.SelectMany(p => p.Resources).Prepend(RouterKinds.Service).Distinct()];

    /// <summary>Every RBAC rule of every provider, each once.</summary>
    public IReadOnlyList<RbacRule> AllRules => [.. Providers.SelectMany(p => p.Rules).DistinctBy(r => string.Join(",", r.Grants))];
}
